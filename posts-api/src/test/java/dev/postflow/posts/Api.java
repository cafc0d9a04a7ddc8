package dev.postflow.posts;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;

/** Small helpers so tests read like the curl walk-through. */
final class Api {
  static final String ADMIN = "test-admin-key";

  private Api() {}

  static RequestSpecification as(String key) {
    return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
  }

  /** A new workspace; returns its API key. */
  static String newWorkspace() {
    return as(ADMIN).body(Map.of("name", "Acme")).post("/v1/workspaces").then().statusCode(201).extract().path("api_key");
  }

  /** A connected sandbox account; returns its id. */
  private static final java.util.concurrent.atomic.AtomicInteger ACCOUNTS = new java.util.concurrent.atomic.AtomicInteger();

  /** A new sandbox account (its own external id: connecting the same one again would answer the first). */
  static String sandboxAccount(String key) {
    return as(key).body(Map.of("platform", "sandbox", "external_id", "sbx-user-" + ACCOUNTS.incrementAndGet(), "handle", "@acme", "access_token", "sandbox-token"))
        .post("/v1/accounts").then().statusCode(201).extract().path("id");
  }
}
