package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * An identity provider for tests: an RSA key whose public half a pod trusts
 * ({@code spring.security.oauth2.resourceserver.jwt.public-key-location}) and RS256
 * tokens signed with it.
 */
public final class TestTokenIssuer {

	private final String issuer;

	private final KeyPair keys;

	private final Path publicKey;

	private TestTokenIssuer(String issuer, KeyPair keys, Path publicKey) {
		this.issuer = issuer;
		this.keys = keys;
		this.publicKey = publicKey;
	}

	/** A new issuer with a fresh key, its public key written to a temporary PEM file. */
	public static TestTokenIssuer start(String issuer) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair keys = generator.generateKeyPair();
			Path publicKey = Files.createTempFile("jwt-public", ".pem");
			Files.writeString(publicKey,
					"-----BEGIN PUBLIC KEY-----\n"
							+ Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
							+ "\n-----END PUBLIC KEY-----\n");
			return new TestTokenIssuer(issuer, keys, publicKey);
		}
		catch (NoSuchAlgorithmException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The value of {@code ...jwt.public-key-location} for a pod trusting this issuer. */
	public String publicKeyLocation() {
		return "file:" + this.publicKey;
	}

	/** A token for {@code subject} with {@code scopes}, valid for five minutes. */
	public String token(String subject, String... scopes) {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(this.issuer)
			.subject(subject)
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
			.claim("scope", String.join(" ", List.of(scopes)))
			.build();
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
			jwt.sign(new RSASSASigner(this.keys.getPrivate()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
