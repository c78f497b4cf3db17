package org.icmpecho.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.icmpecho.leakguard.LeakGuard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --web.config.file} in exporter-toolkit format, with certificates the test makes with the
 * JDK's keytool: TLS, client certificates checked against a CA, bcrypt basic auth (wrong password
 * 401), and clear config errors.
 */
@LeakGuard.Keeps(
    nativeBytes = 1 << 20,
    because =
        "the JDK caches a temporary direct buffer per carrier thread for socket writes (sun.nio.ch.Util), "
            + "as large as the largest HTTP write so far; the exporter's HTTP server and the test's client both write")
class WebSecurityTest {
  private static final char[] PASS = "changeit".toCharArray();

  @TempDir Path dir;

  /** Key pairs are slow to make on a loaded machine: each kind is made once for the class. */
  @TempDir static Path keys;

  private static final java.util.Map<String, KeyStore> MADE =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Test
  void tlsWithBasicAuth() throws Exception {
    KeyStore server = keypair("server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
    writePem(server, "server", "server.crt", "server.key", false);
    String hash = BCrypt.withDefaults().hashToString(4, "s3cret".toCharArray());
    Path web =
        write(
            "web.yml",
            """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
        basic_auth_users:
          alice: "%s"
        """
                .formatted(hash));
    try (Running r = Running.start("--web.config.file", web.toString(), "127.0.0.1")) {
      HttpClient https = client(trusting(server, "server"), null);
      String url = "https://127.0.0.1:" + r.exporter.addresses().get(0).getPort();
      assertEquals(200, get(https, url + "/metrics", "alice", "s3cret").statusCode());
      assertEquals(
          200,
          get(https, url + "/metrics", "alice", "s3cret").statusCode(),
          "a remembered password");
      assertEquals(401, get(https, url + "/metrics", "alice", "wrong").statusCode());
      assertEquals(401, get(https, url + "/metrics", "bob", "s3cret").statusCode());
      assertEquals(401, get(https, url + "/metrics", null, null).statusCode());
      assertEquals(401, get(https, url + "/probe?target=127.0.0.1", null, null).statusCode());
      HttpResponse<String> probe = get(https, url + "/probe?target=127.0.0.1", "alice", "s3cret");
      assertEquals(1, Running.value(probe.body(), "probe_success"), probe.body());
      assertThrows(
          IOException.class,
          () ->
              get(
                  track(HttpClient.newHttpClient()),
                  url.replace("https", "http") + "/metrics",
                  "alice",
                  "s3cret"),
          "plain HTTP to the TLS port");
    }
  }

  @Test
  void clientCertificatesAreCheckedAgainstTheClientCa() throws Exception {
    KeyStore server = keypair("server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
    writePem(
        server, "server", "server.crt", "server.key", true); // PKCS#1 key, as older openssl writes
    KeyStore clientKeys = keypair("client", "CN=scraper", null);
    writePem(clientKeys, "client", "ca.crt", "client.key", false);
    KeyStore stranger = keypair("client", "CN=stranger", null);
    Path web =
        write(
            "web.yml",
            """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
          client_auth_type: RequireAndVerifyClientCert
          client_ca_file: ca.crt
          min_version: TLS12
        """);
    try (Running r = Running.start("--web.config.file", web.toString(), "127.0.0.1")) {
      String url = "https://127.0.0.1:" + r.exporter.addresses().get(0).getPort() + "/-/healthy";
      assertEquals(
          200, get(client(trusting(server, "server"), clientKeys), url, null, null).statusCode());
      assertThrows(
          IOException.class,
          () -> get(client(trusting(server, "server"), null), url, null, null),
          "no client certificate");
      assertThrows(
          IOException.class,
          () -> get(client(trusting(server, "server"), stranger), url, null, null),
          "a certificate of another CA");
    }
  }

  @Test
  void badWebConfigsAreRefusedWithTheirLine() throws Exception {
    assertRefused(
        "web.yml:2: basic_auth_users.alice: not a bcrypt hash",
        "basic_auth_users:\n  alice: plain\n");
    assertRefused("web.yml:1: tls_config: unknown field", "tls_config:\n  cert_file: a\n");
    assertRefused(
        "tls_server_config: nope.crt: no such file",
        "tls_server_config:\n  cert_file: nope.crt\n  key_file: nope.key\n");
    KeyStore server = keypair("server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost");
    writePem(server, "server", "server.crt", "server.key", false);
    assertRefused(
        "web.yml:4: tls_server_config.client_ca_file: Client CA's have been configured without a Client Auth Policy",
        "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  client_ca_file: server.crt\n");
    assertRefused(
        "web.yml:4: tls_server_config.min_version: 'TLS99' is not one of",
        "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n  min_version: TLS99\n");
  }

  private void assertRefused(String messageStart, String yaml) throws Exception {
    Path web = write("web.yml", yaml);
    ConfigException e =
        assertThrows(
            ConfigException.class,
            () -> Running.start("--web.config.file", web.toString(), "127.0.0.1"));
    String msg = e.getMessage().replace(dir + "/", "");
    assertTrue(msg.startsWith(messageStart), msg);
  }

  // ---- certificates made with the JDK's keytool, written as the PEM files an operator would have

  private static KeyStore keypair(String alias, String dname, String ext) throws Exception {
    String id = alias + "-" + Integer.toHexString((dname + ext).hashCode());
    KeyStore made = MADE.get(id);
    if (made != null) return made;
    Path store = keys.resolve(id + ".p12");
    // the server's key is RSA (the PKCS#1 case needs one); clients get quicker EC keys
    var alg =
        alias.equals("server")
            ? java.util.List.of("-keyalg", "RSA", "-keysize", "2048")
            : java.util.List.of("-keyalg", "EC", "-groupname", "secp256r1");
    var cmd =
        new java.util.ArrayList<>(
            java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                alias));
    cmd.addAll(alg);
    cmd.addAll(
        java.util.List.of(
            "-dname",
            dname,
            "-validity",
            "2",
            "-keystore",
            store.toString(),
            "-storetype",
            "PKCS12",
            "-storepass",
            "changeit"));
    if (ext != null) cmd.addAll(java.util.List.of("-ext", ext));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool: " + out);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(store)) {
      ks.load(in, PASS);
    }
    MADE.put(id, ks);
    return ks;
  }

  private void writePem(KeyStore ks, String alias, String certFile, String keyFile, boolean pkcs1)
      throws Exception {
    Certificate cert = ks.getCertificate(alias);
    Files.writeString(dir.resolve(certFile), pem("CERTIFICATE", cert.getEncoded()));
    byte[] pkcs8 = ((PrivateKey) ks.getKey(alias, PASS)).getEncoded();
    Files.writeString(
        dir.resolve(keyFile),
        pkcs1 ? pem("RSA PRIVATE KEY", unwrapPkcs8(pkcs8)) : pem("PRIVATE KEY", pkcs8));
  }

  /**
   * The PKCS#1 key inside a PKCS#8 RSA key: the OCTET STRING after the version and algorithm
   * identifier.
   */
  private static byte[] unwrapPkcs8(byte[] der) {
    int i = 1 + lengthBytes(der, 1); // outer SEQUENCE header
    i += 3; // INTEGER 0
    i += 2 + (der[i + 1] & 0xff); // AlgorithmIdentifier SEQUENCE (short form)
    int len = length(der, i + 1);
    int start = i + 1 + lengthBytes(der, i + 1);
    return Arrays.copyOfRange(der, start, start + len);
  }

  private static int lengthBytes(byte[] der, int at) {
    return (der[at] & 0x80) == 0 ? 1 : 1 + (der[at] & 0x7f);
  }

  private static int length(byte[] der, int at) {
    if ((der[at] & 0x80) == 0) return der[at];
    int n = der[at] & 0x7f, len = 0;
    for (int k = 1; k <= n; k++) len = (len << 8) | (der[at + k] & 0xff);
    return len;
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static KeyStore trusting(KeyStore ks, String alias) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry(alias, ks.getCertificate(alias));
    return trust;
  }

  /**
   * The HTTP clients a test made: each has a selector thread and an epoll descriptor until closed.
   */
  private static final List<HttpClient> CLIENTS = new ArrayList<>();

  private static HttpClient track(HttpClient c) {
    CLIENTS.add(c);
    return c;
  }

  @AfterEach
  void closeClients() {
    CLIENTS.forEach(HttpClient::close);
    CLIENTS.clear();
  }

  private static HttpClient client(KeyStore trust, KeyStore keys) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (keys != null) {
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, PASS);
    }
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return track(
        HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build());
  }

  private static HttpResponse<String> get(HttpClient c, String url, String user, String password)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20));
    if (user != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }
    return c.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private Path write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, text);
    return p;
  }
}
