package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * An issuer of RS256 JWTs for tests: its public key is written to a PEM file that a pod
 * reads through {@code spring.security.oauth2.resourceserver.jwt.public-key-location}.
 */
public final class TestIssuer {

	/** The {@code iss} of every token. */
	public static final String ISSUER = "https://issuer.test";

	/**
	 * The {@code aud} of the tokens of {@link #token}: the gateway's, as the pods of
	 * {@link #podProperties()} expect it.
	 */
	public static final String AUDIENCE = "https://gateway.test/mcp";

	private static final Duration VALIDITY = Duration.ofMinutes(5);

	private final RSAPrivateKey signingKey;

	private final Path publicKey;

	private TestIssuer(RSAPrivateKey signingKey, Path publicKey) {
		this.signingKey = signingKey;
		this.publicKey = publicKey;
	}

	/** An issuer with a fresh key pair. */
	public static TestIssuer create() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair keys = generator.generateKeyPair();
			Path publicKey = Files.createTempFile("jwt-public", ".pem");
			Files.writeString(publicKey,
					"-----BEGIN PUBLIC KEY-----\n"
							+ Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
							+ "\n-----END PUBLIC KEY-----\n");
			return new TestIssuer((RSAPrivateKey) keys.getPrivate(), publicKey);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("Could not create a signing key", ex);
		}
	}

	/**
	 * The value of {@code spring.security.oauth2.resourceserver.jwt.public-key-location}.
	 */
	public String publicKeyLocation() {
		return "file:" + this.publicKey;
	}

	/**
	 * Properties that put a pod in JWT mode trusting this issuer, with {@link #AUDIENCE}
	 * as the audience its tokens must name and {@link #ISSUER} as the authorization
	 * server its protected resource metadata names.
	 */
	public Map<String, Object> podProperties() {
		return Map.of("spring.security.oauth2.resourceserver.jwt.public-key-location", publicKeyLocation(),
				"vmcp.jwt.audiences", AUDIENCE, "vmcp.mcp.authorization-servers", ISSUER);
	}

	/**
	 * A token for {@code subject} with the given scopes, issued for {@link #AUDIENCE},
	 * valid for five minutes.
	 */
	public String token(String subject, String... scopes) {
		return tokenFor(AUDIENCE, subject, scopes);
	}

	/** A token for {@code subject} issued for another {@code audience}. */
	public String tokenFor(String audience, String subject, String... scopes) {
		return signed(audience, subject, Map.of(), scopes);
	}

	/**
	 * A token for {@code subject} issued for {@link #AUDIENCE} with more claims (the
	 * caller's groups, say).
	 */
	public String tokenWith(String subject, Map<String, Object> moreClaims, String... scopes) {
		return signed(AUDIENCE, subject, moreClaims, scopes);
	}

	private String signed(String audience, String subject, Map<String, Object> moreClaims, String... scopes) {
		Instant now = Instant.now();
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(ISSUER)
			.audience(audience)
			.subject(subject)
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(VALIDITY)))
			.claim("scope", String.join(" ", scopes));
		moreClaims.forEach(builder::claim);
		JWTClaimsSet claims = builder.build();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
			jwt.sign(new RSASSASigner(this.signingKey));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
