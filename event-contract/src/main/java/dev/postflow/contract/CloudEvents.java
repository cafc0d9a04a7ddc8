package dev.postflow.contract;

/** CloudEvents 1.0 Kafka binary-mode header names used on {@link Topics#LIFECYCLE_EVENTS}. */
public final class CloudEvents {
  public static final String ID = "ce_id";
  public static final String TYPE = "ce_type";
  public static final String SOURCE = "ce_source";
  public static final String SPEC_VERSION = "ce_specversion";
  public static final String TIME = "ce_time";
  public static final String SUBJECT = "ce_subject";
  public static final String CONTENT_TYPE = "content-type";
  /** Extension attribute: the workspace the event belongs to. */
  public static final String WORKSPACE = "ce_workspace";

  private CloudEvents() {}

  /** The headers of one event on the lifecycle topic. */
  public static java.util.Map<String, String> headers(LifecycleEvent event, String source, String subject) {
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    headers.put(SPEC_VERSION, "1.0");
    headers.put(ID, event.id());
    headers.put(TYPE, event.type());
    headers.put(SOURCE, source);
    headers.put(TIME, event.timestamp().toString());
    headers.put(SUBJECT, subject);
    headers.put(CONTENT_TYPE, "application/json");
    headers.put(WORKSPACE, event.workspaceId());
    return headers;
  }
}
