package dev.postflow.contract;

import java.util.List;

/**
 * Kafka topics. {@link #LIFECYCLE_EVENTS} is public (documented in docs/events.md); the others are
 * internal hand-overs between our services and may change between releases.
 */
public final class Topics {
  /** posts-api -> scheduler-service: when a post is due (or no longer due). Key: post id. */
  public static final String SCHEDULE_REQUESTS = "postflow.schedule-requests";
  /** scheduler-service -> posts-api: a post reached its time. Key: post id. */
  public static final String POSTS_DUE = "postflow.posts-due";
  /** posts-api -> publisher-service: publish one claimed target. Key: account id (keeps an account's posts in order). */
  public static final String PUBLISH_REQUESTS = "postflow.publish-requests";
  /**
   * posts-api -> publisher-service: take one published target down from its platform. Key: account id. A topic of its
   * own, so a publisher built before unpublishing existed never reads one as a publish request.
   */
  public static final String UNPUBLISH_REQUESTS = "postflow.unpublish-requests";
  /**
   * posts-api -> publisher-service: change the text of one published target on its platform. Key: account id. A topic
   * of its own, like unpublish requests.
   */
  public static final String EDIT_REQUESTS = "postflow.edit-requests";
  /** publisher-service -> posts-api: the outcome of one publish, unpublish or edit request. Key: post id. */
  public static final String PUBLISH_RESULTS = "postflow.publish-results";
  /** Public lifecycle stream (CloudEvents 1.0 headers, same data as webhooks). Key: post or account id. */
  public static final String LIFECYCLE_EVENTS = "postflow.events";
  /** posts-api -> webhook-service: send a test event, replay deliveries. Key: webhook endpoint id. */
  public static final String WEBHOOK_COMMANDS = "postflow.webhook-commands";

  public static final List<String> ALL =
      List.of(SCHEDULE_REQUESTS, POSTS_DUE, PUBLISH_REQUESTS, UNPUBLISH_REQUESTS, EDIT_REQUESTS, PUBLISH_RESULTS, LIFECYCLE_EVENTS,
          WEBHOOK_COMMANDS);

  private Topics() {}
}
