package dev.postflow.publisher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.postflow.contract.net.AddressPolicy;
import dev.postflow.publisher.platform.Http;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpServer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server an account names (a Mastodon instance, a Bluesky PDS) is called at the address the SSRF guard checked, not
 * at a second lookup of its name (DNS rebinding), while the name still identifies it: Host header, TLS server name
 * and the certificate's check.
 */
class PinnedServerTest {
  private static final String NAME = "pds.pinned.test";

  private final Vertx vertx = Vertx.vertx();
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private Path keystore;
  private HttpServer server;
  private WebClient client;

  @BeforeEach
  void start() throws Exception {
    // a certificate for the name only (the JDK's keytool: Netty's own generator needs BouncyCastle on Java 17)
    keystore = Files.createTempDirectory("pinned").resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-alias", "pds", "-keyalg", "EC",
        "-groupname", "secp256r1", "-dname", "CN=" + NAME, "-ext", "SAN=dns:" + NAME, "-validity", "2").redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    if (keytool.waitFor() != 0) throw new IllegalStateException("keytool failed: " + output);
    PfxOptions store = new PfxOptions().setPath(keystore.toString()).setPassword("changeit");
    server = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setSni(true).setKeyCertOptions(store))
        .requestHandler(request -> {
          seen.add(request.getHeader("Host") + " sni=" + request.connection().indicatedServerName());
          request.response().setStatusCode(200).endAndForget("{\"ok\":true}");
        })
        .listenAndAwait(0, "127.0.0.1");
    // trusts only the test certificate, and checks that it names the host of the URL
    client = WebClient.create(vertx, new WebClientOptions().setFollowRedirects(false).setVerifyHost(true)
        .setTrustOptions(store));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    server.closeAndAwait();
    Files.deleteIfExists(keystore);
    vertx.closeAndAwait();
  }

  @Test
  void requestsGoToTheCheckedAddressUnderTheServersName() throws Exception {
    // Only the guard's resolver knows the name, so reaching the server shows that nothing looked it up again.
    AddressPolicy policy = new AddressPolicy(List.of("127.0.0.0/8"), false, host -> {
      if (host.equals(NAME)) return new InetAddress[] {InetAddress.getLoopbackAddress()};
      throw new UnknownHostException(host);
    });
    String url = "https://" + NAME + ":" + server.actualPort() + "/";
    Http.Server pds = Http.safeServer(vertx, policy, url, "bluesky").await().atMost(Duration.ofSeconds(10));
    assertEquals("https://" + NAME + ":" + server.actualPort(), pds.url());
    assertEquals("127.0.0.1", pds.address().host());

    HttpResponse<Buffer> answer = pds.get(client, "/xrpc/com.atproto.repo.getRecord").send().await().atMost(Duration.ofSeconds(10));
    assertEquals(200, answer.statusCode());
    assertEquals(List.of(NAME + ":" + server.actualPort() + " sni=" + NAME), seen);
  }

  @Test
  void aNameThatRebindsIsCalledAtTheAddressFirstChecked() throws Exception {
    // First answer: loopback (allowed here, standing in for a public address); every later one: the metadata service.
    AtomicInteger lookups = new AtomicInteger();
    AddressPolicy policy = new AddressPolicy(List.of("127.0.0.0/8"), false, host -> new InetAddress[] {
        InetAddress.getByName(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "169.254.169.254")});
    Http.Server pds = Http.safeServer(vertx, policy, "https://" + NAME + ":" + server.actualPort(), "bluesky").await().atMost(Duration.ofSeconds(10));
    for (int i = 0; i < 3; i++) {
      assertEquals(200, pds.post(client, "/xrpc/com.atproto.repo.createRecord").send().await().atMost(Duration.ofSeconds(10)).statusCode());
    }
    assertEquals(1, lookups.get(), "one lookup, by the guard");
    assertEquals(3, seen.size());
  }

  @Test
  void aServerThatResolvesInsideIsRefusedBeforeAnyCall() {
    AddressPolicy production = new AddressPolicy(List.of(), false, host -> new InetAddress[] {InetAddress.getByName("10.0.0.7")});
    Http.UnsafeServerException refused = assertThrows(Http.UnsafeServerException.class,
        () -> Http.safeServer(vertx, production, "https://" + NAME, "mastodon").await().atMost(Duration.ofSeconds(10)));
    assertTrue(refused.getMessage().contains("non-public address (10.0.0.7)"), refused.getMessage());
    assertTrue(seen.isEmpty());
  }
}
