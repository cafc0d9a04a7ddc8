package dev.postflow.posts.post;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postflow.contract.TargetError;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;

/** Maps post entities to their views, and the JSON text columns to values. */
@ApplicationScoped
public class PostJson {
  @Inject ObjectMapper json;

  /** A JSON object field as stored: absent or null becomes {}. */
  public String object(com.fasterxml.jackson.databind.JsonNode node) {
    try {
      return node == null || node.isNull() ? "{}" : json.writeValueAsString(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }


  public PostView view(Post post, List<PostTarget> targets) {
    return new PostView(post.id, post.status, post.version, post.text, list(post.mediaIds), map(post.platformOptions),
        post.scheduledAt, post.timeZone, post.queueId, post.publishedAt, post.externalId, map(post.metadata), post.rejectionReason, post.reviewedBy, post.reviewedAt,
        post.repostTimes == null ? null : new Repost(post.repostTimes, post.repostEveryDays, post.repostTexts == null ? null : list(post.repostTexts)), post.repostOf, post.repostedAs,
        targets.stream().map(this::view).toList(), post.createdAt, post.updatedAt);
  }

  private PostView.TargetView view(PostTarget target) {
    return new PostView.TargetView(target.id, target.accountId, target.platform, target.status, target.text,
        target.mediaIds == null ? null : list(target.mediaIds),
        target.platformOptions == null ? null : map(target.platformOptions),
        target.platformPostId, target.permalink, target.publishedAt,
        PostStatus.UNPUBLISHED.equals(target.status) ? target.updatedAt : null, // an unpublished target changes no more
        target.editedAt,
        target.attempts,
        target.error == null ? null : read(target.error, TargetError.class));
  }

  public String write(Object value) {
    try {
      return json.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public List<String> list(String text) {
    try {
      return text == null ? List.of() : json.readValue(text, new TypeReference<List<String>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public Map<String, Object> map(String text) {
    try {
      return text == null ? Map.of() : json.readValue(text, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public <T> T read(String text, Class<T> type) {
    try {
      return json.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
