package io.gitcollector.server.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.gitcollector.core.model.InvalidConfigurationException;
import io.gitcollector.core.spi.Secret;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Bearer JWTs on the API: HS256 with {@code JWT_SECRET_KEY}, or RS256/ES256 keys from {@code JWT_JWKS_URL}. The
 * algorithm is pinned (a token signed otherwise, or with {@code alg: none}, is refused), {@code exp} is required and
 * {@code nbf} enforced, and the {@code scope} claim ({@code collect:read}, {@code collect:trigger}) separates reading
 * from triggering.
 */
public final class JwtAuthenticator {
  public static final String READ = "collect:read";
  public static final String TRIGGER = "collect:trigger";

  private final DefaultJWTProcessor<SecurityContext> processor;

  private JwtAuthenticator(DefaultJWTProcessor<SecurityContext> processor) {
    this.processor = processor;
  }

  /** How far a token's {@code exp} and {@code nbf} may be off by default ({@code JWT_CLOCK_SKEW}). */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(5);

  public static JwtAuthenticator hs256(Secret secret) {
    return hs256(secret, DEFAULT_CLOCK_SKEW);
  }

  public static JwtAuthenticator hs256(Secret secret, Duration clockSkew) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
        new ImmutableSecret<>(secret.reveal().getBytes(StandardCharsets.UTF_8))));
    processor.setJWTClaimsSetVerifier(claimsVerifier(clockSkew));
    return new JwtAuthenticator(processor);
  }

  /** {@code exp} required; {@code exp} and {@code nbf} checked with this skew (Nimbus's own default is 60 s). */
  private static DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier(Duration clockSkew) {
    DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(null, Set.of("exp"));
    verifier.setMaxClockSkew((int) clockSkew.toSeconds());
    return verifier;
  }

  public static JwtAuthenticator jwks(String url) {
    return jwks(url, DEFAULT_CLOCK_SKEW);
  }

  public static JwtAuthenticator jwks(String url, Duration clockSkew) {
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.create(URI.create(url).toURL()).retrying(true).build();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new InvalidConfigurationException("JWT_JWKS_URL is not a valid URL: " + e.getMessage());
    }
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256),
        keys));
    processor.setJWTClaimsSetVerifier(claimsVerifier(clockSkew));
    return new JwtAuthenticator(processor);
  }

  /** Who called, with which scopes. */
  public record Caller(String subject, Set<String> scopes) {}

  /** A token the server refuses, and why (the message is safe to return). */
  public static final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidTokenException(String message) {
      super(message);
    }
  }

  public Caller authenticate(Optional<String> authorization) throws InvalidTokenException {
    String header = authorization.orElseThrow(() -> new InvalidTokenException("missing bearer token"));
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new InvalidTokenException("the Authorization header is not a bearer token");
    }
    try {
      JWTClaimsSet claims = processor.process(header.substring(7).strip(), null);
      return new Caller(Optional.ofNullable(claims.getSubject()).orElse("anonymous"), scopes(claims));
    } catch (ParseException e) {
      throw new InvalidTokenException("the bearer token is not a JWT");
    } catch (BadJOSEException e) {
      throw new InvalidTokenException("the bearer token was refused: " + e.getMessage());
    } catch (JOSEException e) {
      throw new InvalidTokenException("the bearer token could not be verified: " + e.getMessage());
    }
  }

  private static Set<String> scopes(JWTClaimsSet claims) throws ParseException {
    Set<String> scopes = new HashSet<>();
    Object scope = claims.getClaim("scope");
    if (scope instanceof String text) {
      scopes.addAll(List.of(text.trim().split("\\s+")));
    }
    Object scp = claims.getClaim("scp");
    if (scp instanceof List<?> list) {
      list.forEach(item -> scopes.add(String.valueOf(item)));
    }
    return scopes;
  }

  /** Signs an HS256 token for local use ({@code collector-server token}). */
  public static String mint(Secret secret, String subject, Set<String> scopes, Duration lifetime) {
    Instant now = Instant.now();
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .subject(subject)
        .issuer("git-collector")
        .jwtID(UUID.randomUUID().toString())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plus(lifetime)))
        .claim("scope", String.join(" ", scopes))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(new MACSigner(secret.reveal().getBytes(StandardCharsets.UTF_8)));
    } catch (JOSEException e) {
      throw new InvalidConfigurationException("cannot sign a token with JWT_SECRET_KEY: " + e.getMessage());
    }
    return jwt.serialize();
  }
}
