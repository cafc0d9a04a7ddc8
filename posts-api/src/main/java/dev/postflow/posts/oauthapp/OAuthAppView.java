package dev.postflow.posts.oauthapp;

import java.time.Instant;

/**
 * An app as the API shows it: never its secrets, only whether they are set. {@code active}: the app new connects go
 * through; an inactive one was replaced and stays for the {@code accounts} (active ones) that still refresh with it.
 */
public record OAuthAppView(String id, String platform, String clientId, boolean clientSecretSet, String consumerKey, boolean consumerSecretSet,
    boolean active, long accounts, Instant createdAt, Instant updatedAt) {}
