package dev.postflow.publisher.platform.meta;

import dev.postflow.publisher.account.AccountCredentials;
import dev.postflow.publisher.platform.DefiniteFailure;
import dev.postflow.publisher.platform.FirstComments;
import dev.postflow.publisher.platform.Http;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.mutiny.ext.web.multipart.MultipartForm;
import java.util.ArrayList;
import java.util.List;

/**
 * Graph API comments (Instagram media, a Facebook Page's post): {@code POST /{object-id}/comments} with {@code message};
 * read back with {@code GET /{object-id}/comments}, the text in {@code readField} (Instagram {@code text}, Facebook
 * {@code message}), and who wrote it in {@code from}: a comment found after a lost answer must be the account's own.
 */
record MetaComments(WebClient http, String baseUrl, String platform, String readField, AccountCredentials account) implements FirstComments.Api {
  @Override
  public Uni<String> send(String postId, String text) {
    return Http.connectFailuresAreRetryable(http.postAbs(baseUrl + "/" + postId + "/comments")
            .putHeader("Authorization", "Bearer " + account.accessToken())
            .sendMultipartForm(MultipartForm.create().attribute("message", text)), platform)
        .map(response -> {
          if (response.statusCode() != 200) throw new DefiniteFailure(MetaErrors.failure(platform, response));
          return Http.json(response).getString("id");
        });
  }

  @Override
  public Uni<List<FirstComments.Comment>> list(String postId) {
    return http.getAbs(baseUrl + "/" + postId + "/comments").addQueryParam("fields", "id," + readField + ",timestamp,from")
        .addQueryParam("limit", "100").putHeader("Authorization", "Bearer " + account.accessToken()).send()
        .map(response -> {
          if (response.statusCode() != 200) {
            MetaErrors.failure(platform, response); // throws for rate limits and 5xx
            throw new IllegalStateException("the post's comments answered " + response.statusCode());
          }
          List<FirstComments.Comment> comments = new ArrayList<>();
          JsonArray data = Http.json(response).getJsonArray("data", new JsonArray());
          for (int i = 0; i < data.size(); i++) {
            JsonObject item = data.getJsonObject(i);
            // only the account's own comments: a follower's with the same text is not ours (Meta leaves from out where
            // the token may not see who wrote it; then the text alone decides, as before)
            JsonObject from = item.getJsonObject("from");
            if (from != null && from.getString("id") != null && !from.getString("id").equals(account.externalId())) continue;
            comments.add(new FirstComments.Comment(item.getString("id"), item.getString(readField)));
          }
          return comments;
        });
  }
}
