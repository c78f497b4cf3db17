package org.icmpecho.exporter;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.sun.net.httpserver.BasicAuthenticator;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * {@code --web.config.file} in the Prometheus exporter-toolkit format that every official exporter
 * reads: {@code tls_server_config} (PEM {@code cert_file} and {@code key_file}, {@code
 * client_ca_file}, {@code client_auth_type}, {@code min_version}, {@code max_version}) and {@code
 * basic_auth_users} (user: bcrypt hash). Paths are relative to the file. Go-only tuning ({@code
 * cipher_suites}, {@code curve_preferences}, {@code prefer_server_cipher_suites}, {@code
 * http_server_config}) is accepted and left to the JDK's defaults.
 *
 * @param tls the TLS setup, or null for plain HTTP
 * @param users bcrypt hashes by user name; empty for no authentication
 */
record WebConfig(HttpsConfigurator tls, Map<String, String> users) {
  static final WebConfig NONE = new WebConfig(null, Map.of());

  private static final Set<String> TOP =
      Set.of("tls_server_config", "http_server_config", "basic_auth_users");
  private static final Set<String> TLS =
      Set.of(
          "cert_file",
          "key_file",
          "client_auth_type",
          "client_ca_file",
          "min_version",
          "max_version",
          "cipher_suites",
          "curve_preferences",
          "prefer_server_cipher_suites",
          "client_allowed_sans");

  WebConfig {
    users = Map.copyOf(users);
  }

  static WebConfig read(Path file) throws ConfigException {
    String text = YamlReader.readFile(file);
    YamlReader y = new YamlReader(file.toString());
    var root = y.root(text);
    if (root.isEmpty()) return NONE;
    Map<String, Node> top = y.mapping(root.get(), "");
    y.known(top, TOP, "");
    Path dir = file.toAbsolutePath().getParent();
    Map<String, String> users = new LinkedHashMap<>();
    Node u = top.get("basic_auth_users");
    if (u != null && !y.isNull(u)) {
      for (Map.Entry<String, Node> e : y.mapping(u, "basic_auth_users").entrySet()) {
        String hash = y.text(e.getValue(), "basic_auth_users." + e.getKey(), "");
        if (!hash.matches("\\$2[abyx]?\\$\\d\\d\\$.{53}")) {
          throw y.error(
              e.getValue(), "basic_auth_users." + e.getKey(), "not a bcrypt hash ($2y$10$...)");
        }
        users.put(e.getKey(), hash);
      }
    }
    HttpsConfigurator tls = null;
    Node t = top.get("tls_server_config");
    if (t != null && !y.isNull(t)) tls = tls(y, t, dir);
    return new WebConfig(tls, users);
  }

  private static HttpsConfigurator tls(YamlReader y, Node node, Path dir) throws ConfigException {
    String w = "tls_server_config";
    Map<String, Node> t = y.mapping(node, w);
    y.known(t, TLS, w);
    String cert = y.text(t.get("cert_file"), w + ".cert_file", "");
    String key = y.text(t.get("key_file"), w + ".key_file", "");
    if (cert.isEmpty()) throw y.error(node, w + ".cert_file", "missing cert_file");
    if (key.isEmpty()) throw y.error(node, w + ".key_file", "missing key_file");
    String ca = y.text(t.get("client_ca_file"), w + ".client_ca_file", "");
    String auth = y.text(t.get("client_auth_type"), w + ".client_auth_type", "NoClientCert");
    if (!Set.of(
            "NoClientCert",
            "RequestClientCert",
            "RequireAnyClientCert",
            "VerifyClientCertIfGiven",
            "RequireAndVerifyClientCert")
        .contains(auth)) {
      throw y.error(
          t.get("client_auth_type"),
          w + ".client_auth_type",
          "'" + auth + "' is not a client auth type");
    }
    if (!ca.isEmpty() && auth.equals("NoClientCert")) {
      throw y.error(
          t.get("client_ca_file"),
          w + ".client_ca_file",
          "Client CA's have been configured without a Client Auth Policy");
    }
    List<String> protocols = protocols(y, t, w);
    try {
      List<X509Certificate> chain = Pem.certificates(dir.resolve(cert));
      PrivateKey privateKey = Pem.privateKey(dir.resolve(key));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setKeyEntry("server", privateKey, new char[0], chain.toArray(X509Certificate[]::new));
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, new char[0]);
      TrustManager[] trust = null;
      boolean verify =
          auth.equals("VerifyClientCertIfGiven") || auth.equals("RequireAndVerifyClientCert");
      if (verify) {
        if (ca.isEmpty())
          throw y.error(node, w + ".client_ca_file", auth + " needs client_ca_file");
        KeyStore cas = KeyStore.getInstance("PKCS12");
        cas.load(null, null);
        int i = 0;
        for (X509Certificate c : Pem.certificates(dir.resolve(ca)))
          cas.setCertificateEntry("ca" + i++, c);
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(cas);
        trust = tmf.getTrustManagers();
      } else if (!auth.equals("NoClientCert")) {
        trust =
            new TrustManager[] {
              new AnyClient()
            }; // Request/RequireAny: Go asks for a certificate without checking it
      }
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(kmf.getKeyManagers(), trust, null);
      boolean need = auth.startsWith("Require");
      boolean want = !need && !auth.equals("NoClientCert");
      return new HttpsConfigurator(ssl) {
        @Override
        public void configure(HttpsParameters params) {
          SSLParameters p = ssl.getDefaultSSLParameters();
          p.setProtocols(protocols.toArray(String[]::new));
          if (need) p.setNeedClientAuth(true);
          else if (want) p.setWantClientAuth(true);
          params.setSSLParameters(p);
        }
      };
    } catch (java.nio.file.NoSuchFileException e) {
      throw ConfigException.at(null, 0, w, e.getFile() + ": no such file");
    } catch (IOException | GeneralSecurityException e) {
      throw ConfigException.at(null, 0, w, e.getMessage());
    }
  }

  private static List<String> protocols(YamlReader y, Map<String, Node> t, String w)
      throws ConfigException {
    List<String> all = List.of("TLS10", "TLS11", "TLS12", "TLS13");
    String min = y.text(t.get("min_version"), w + ".min_version", "TLS12");
    String max = y.text(t.get("max_version"), w + ".max_version", "TLS13");
    int lo = all.indexOf(min), hi = all.indexOf(max);
    if (lo < 0)
      throw y.error(t.get("min_version"), w + ".min_version", "'" + min + "' is not one of " + all);
    if (hi < 0)
      throw y.error(t.get("max_version"), w + ".max_version", "'" + max + "' is not one of " + all);
    List<String> out = new ArrayList<>();
    for (int i = Math.max(lo, 2); i <= hi; i++)
      out.add("TLSv1." + i); // TLS1i: the JDK has disabled 1.0 and 1.1
    if (out.isEmpty())
      throw y.error(
          t.get("max_version"), w + ".max_version", "TLS 1.0 and 1.1 are disabled in the JDK");
    return out;
  }

  /**
   * Basic authentication against the bcrypt hashes; a verified password is remembered (bcrypt is
   * slow on purpose).
   */
  BasicAuthenticator authenticator() {
    Map<String, byte[]> verified = new ConcurrentHashMap<>();
    return new BasicAuthenticator("icmpecho") {
      @Override
      public boolean checkCredentials(String user, String password) {
        String hash = users.get(user);
        if (hash == null) return false;
        byte[] digest = sha256(user + '\u0000' + password);
        byte[] known = verified.get(user);
        if (known != null && MessageDigest.isEqual(known, digest)) return true;
        boolean ok = BCrypt.verifyer().verify(password.toCharArray(), hash.toCharArray()).verified;
        if (ok) verified.put(user, digest);
        return ok;
      }
    };
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Accepts any client certificate: Go's RequestClientCert and RequireAnyClientCert. */
  private static final class AnyClient implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
