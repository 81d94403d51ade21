package io.gitcollector.github.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.model.PermissionDeniedException;
import io.gitcollector.core.model.RepositoryRef;
import io.gitcollector.core.spi.CallResult;
import io.gitcollector.core.spi.Secret;
import io.gitcollector.core.spi.toolkit.ApiAccess;
import io.gitcollector.core.spi.toolkit.PlatformResponses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Authentication as a GitHub App: an app JWT (RS256, signed with the app's private key, valid nine minutes) asks for
 * the installation that covers a repository's owner ({@code GET /orgs/{org}/installation}, else
 * {@code /users/{user}/installation}, or the configured installation), and for that installation's access token
 * ({@code POST /app/installations/{id}/access_tokens}), which is used until shortly before it expires (a fifth of its
 * lifetime, at most five minutes, before) and then replaced. Each installation spends its own rate-limit budget.
 */
final class GitHubApp implements GitHubCredentials {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
  private static final Duration JWT_LIFETIME = Duration.ofMinutes(9);
  private static final Duration MAX_REFRESH_MARGIN = Duration.ofMinutes(5);

  private final String appId;
  private final PrivateKey key;
  private final OkHttpClient http;
  private final ApiAccess access;
  private final String restBase;
  private final Optional<String> installationId;
  private final Clock clock;
  private final Map<String, String> installations = new ConcurrentHashMap<>();
  private final Map<String, InstallationToken> tokens = new ConcurrentHashMap<>();
  private volatile AppJwt jwt;

  private record InstallationToken(Secret token, Instant obtained, Instant expires) {
    boolean freshAt(Instant now) {
      Duration lifetime = Duration.between(obtained, expires);
      Duration margin = lifetime.dividedBy(5).compareTo(MAX_REFRESH_MARGIN) < 0 ? lifetime.dividedBy(5)
          : MAX_REFRESH_MARGIN;
      return now.isBefore(expires.minus(margin));
    }
  }

  private record AppJwt(String value, Instant expires) {}

  GitHubApp(String appId, String privateKeyPem, Optional<String> installationId, OkHttpClient http, ApiAccess access,
      String restBase, Clock clock) {
    if (!appId.matches("[0-9]{1,20}")) {
      throw new InvalidConfigurationException("GITHUB_APP_ID must be the app's numeric id, was '" + abbreviate(appId)
          + "'");
    }
    installationId.ifPresent(id -> {
      if (!id.matches("[0-9]{1,20}")) {
        throw new InvalidConfigurationException("GITHUB_APP_INSTALLATION_ID must be a numeric installation id");
      }
    });
    this.appId = appId;
    this.key = privateKey(privateKeyPem);
    this.http = http;
    this.access = access;
    this.restBase = restBase;
    this.installationId = installationId;
    this.clock = clock;
  }

  @Override
  public Optional<Secret> token(RepositoryRef repository) {
    String installation = installationOf(repository);
    InstallationToken current = tokens.get(installation);
    if (current == null || !current.freshAt(clock.instant())) {
      synchronized (this) {
        current = tokens.get(installation);
        if (current == null || !current.freshAt(clock.instant())) {
          current = newToken(installation);
          tokens.put(installation, current);
        }
      }
    }
    return Optional.of(current.token());
  }

  @Override
  public String budget(RepositoryRef repository) {
    return "@installation-" + installationOf(repository);
  }

  @Override
  public boolean refused(RepositoryRef repository, Secret refused) {
    String installation = installationOf(repository);
    InstallationToken current = tokens.get(installation);
    return current != null && current.token().equals(refused) && tokens.remove(installation, current);
  }

  @Override
  public boolean authenticated() {
    return true;
  }

  private String installationOf(RepositoryRef repository) {
    if (installationId.isPresent()) {
      return installationId.get();
    }
    String owner = repository.owner().toLowerCase(Locale.ROOT);
    return installations.computeIfAbsent(owner, this::findInstallation);
  }

  /** The installation on an organization, else on a user account, named by the owner. */
  private String findInstallation(String owner) {
    for (String kind : new String[] {"orgs", "users"}) {
      Optional<JsonNode> found = appCall("app.installation", "GET", restBase + "/" + kind + "/" + owner
          + "/installation");
      if (found.isPresent()) {
        return found.get().path("id").asText();
      }
    }
    throw new PermissionDeniedException("the GitHub App " + appId + " is not installed on '" + owner
        + "': install it on the organization or account, or set GITHUB_APP_INSTALLATION_ID");
  }

  private InstallationToken newToken(String installation) {
    Instant asked = clock.instant();
    JsonNode body = appCall("app.installation_token", "POST", restBase + "/app/installations/" + installation
        + "/access_tokens").orElseThrow(() -> new PermissionDeniedException("the GitHub App " + appId
            + " has no installation " + installation));
    String token = body.path("token").asText("");
    if (token.isBlank()) {
      throw new io.gitcollector.core.model.ProtocolException("GitHub issued no installation token for installation "
          + installation);
    }
    Instant expires = body.hasNonNull("expires_at") ? Instant.parse(body.path("expires_at").asText())
        : asked.plus(Duration.ofHours(1));
    return new InstallationToken(Secret.of(token), asked, expires);
  }

  /** A request authenticated by the app's JWT; empty on 404. */
  private Optional<JsonNode> appCall(String operation, String method, String url) {
    return access.calls().execute(operation, "app", url, () -> {
      Request.Builder request = new Request.Builder().url(url)
          .header("Accept", "application/vnd.github+json")
          .header("X-GitHub-Api-Version", "2022-11-28")
          .header("User-Agent", "git-collector")
          .header("Authorization", "Bearer " + appJwt());
      request.method(method, method.equals("POST") ? RequestBody.create(new byte[0], JSON_TYPE) : null);
      try (Response response = http.newCall(request.build()).execute()) {
        int code = response.code();
        if (code == 404) {
          return CallResult.success(Optional.<JsonNode>empty(), Optional.empty());
        }
        if (code == 200 || code == 201) {
          return CallResult.success(Optional.of(JSON.readTree(response.body().byteStream())), Optional.empty());
        }
        String message = PlatformResponses.errorMessage(response.body().string(), response.message(), "message");
        if (code == 401) {
          return CallResult.permanentFailure(new io.gitcollector.core.model.InvalidCredentialsException("GitHub"
              + " refused the app JWT of GitHub App " + appId + " (" + message + "): check GITHUB_APP_ID and"
              + " GITHUB_APP_PRIVATE_KEY"));
        }
        if (code >= 500) {
          return CallResult.transientFailure("HTTP " + code + " " + message, Optional.empty());
        }
        return CallResult.permanentFailure(new PermissionDeniedException("GitHub answered " + operation + " of"
            + " GitHub App " + appId + " with HTTP " + code + ": " + message));
      }
    });
  }

  /** The app's JWT, signed anew when the one in use has less than a minute left. */
  private String appJwt() throws IOException {
    AppJwt current = jwt;
    Instant now = clock.instant();
    if (current != null && now.isBefore(current.expires().minus(Duration.ofMinutes(1)))) {
      return current.value();
    }
    // issued a minute in the past: GitHub's clock may be behind ours
    long issued = now.minusSeconds(60).getEpochSecond();
    Instant expires = now.plus(JWT_LIFETIME);
    Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
    String header = url.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    String claims = url.encodeToString(("{\"iat\":" + issued + ",\"exp\":" + expires.getEpochSecond()
        + ",\"iss\":\"" + appId + "\"}").getBytes(StandardCharsets.UTF_8));
    try {
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(key);
      signer.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
      String value = header + "." + claims + "." + url.encodeToString(signer.sign());
      jwt = new AppJwt(value, expires);
      return value;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot sign the GitHub App JWT: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the app's private key as GitHub hands it out (PKCS#1, {@code BEGIN RSA PRIVATE KEY}) or as PKCS#8
   * ({@code BEGIN PRIVATE KEY}). The error never shows the key.
   */
  static PrivateKey privateKey(String pem) {
    String text = pem.replace("\\n", "\n").strip();
    boolean pkcs1 = text.contains("BEGIN RSA PRIVATE KEY");
    if (!pkcs1 && !text.contains("BEGIN PRIVATE KEY")) {
      throw new InvalidConfigurationException("GITHUB_APP_PRIVATE_KEY is not a PEM private key (expected"
          + " -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----)");
    }
    try {
      String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      byte[] der = Base64.getDecoder().decode(base64);
      byte[] pkcs8 = pkcs1 ? wrapPkcs1(der) : der;
      return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new InvalidConfigurationException("GITHUB_APP_PRIVATE_KEY cannot be read as an RSA private key ("
          + e.getClass().getSimpleName() + ")");
    }
  }

  /** PKCS#8 around a PKCS#1 RSA key: version 0, the rsaEncryption algorithm, the key as an octet string. */
  private static byte[] wrapPkcs1(byte[] pkcs1) {
    byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01,
        0x01, 0x05, 0x00};
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(algorithm);
    body.write(0x04);
    body.writeBytes(derLength(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream sequence = new ByteArrayOutputStream();
    sequence.write(0x30);
    sequence.writeBytes(derLength(body.size()));
    sequence.writeBytes(body.toByteArray());
    return sequence.toByteArray();
  }

  private static byte[] derLength(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    byte[] digits = BigInteger.valueOf(length).toByteArray();
    int start = digits[0] == 0 ? 1 : 0;
    byte[] encoded = new byte[digits.length - start + 1];
    encoded[0] = (byte) (0x80 | (digits.length - start));
    System.arraycopy(digits, start, encoded, 1, digits.length - start);
    return encoded;
  }

  private static String abbreviate(String text) {
    return text.length() > 24 ? text.substring(0, 24) + "…" : text;
  }
}
