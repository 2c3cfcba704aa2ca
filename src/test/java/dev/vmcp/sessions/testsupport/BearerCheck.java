package dev.vmcp.sessions.testsupport;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * What a member that takes tokens checks: a bearer JWT signed by the authorization server
 * (its JWK set), from its issuer, not expired, and meant for this member (its audience
 * among the token's). A test can make it forget the tokens it accepted so far, as a
 * member that revoked them or lost its state would, so that they are refused with 401
 * from then on. It keeps every {@code Authorization} header it received.
 */
public final class BearerCheck {

	/** The request attribute that carries the verified token's subject. */
	public static final String SUBJECT = BearerCheck.class.getName() + ".subject";

	private final NimbusJwtDecoder decoder;

	private final List<String> received = new CopyOnWriteArrayList<>();

	private final Set<String> accepted = ConcurrentHashMap.newKeySet();

	private final Set<String> forgotten = ConcurrentHashMap.newKeySet();

	private final AtomicInteger refusals = new AtomicInteger();

	/**
	 * @param server the authorization server whose tokens count
	 * @param audience what the token's {@code aud} must name
	 */
	public BearerCheck(AuthorizationServer server, String audience) {
		this.decoder = NimbusJwtDecoder.withJwkSetUri(server.jwkSetUri().toString()).build();
		this.decoder.setJwtValidator(
				new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(server.issuer()),
						new JwtClaimValidator<List<String>>("aud", (aud) -> aud != null && aud.contains(audience))));
	}

	/**
	 * The verified token of a request with this {@code Authorization} header; empty when
	 * it is to be refused with 401.
	 */
	public Optional<Jwt> verify(@Nullable String authorization) {
		if (authorization != null) {
			this.received.add(authorization);
		}
		if (authorization == null || !authorization.startsWith("Bearer ")) {
			return refused();
		}
		String token = authorization.substring("Bearer ".length());
		if (this.forgotten.contains(token)) {
			return refused();
		}
		try {
			Jwt jwt = this.decoder.decode(token);
			this.accepted.add(token);
			return Optional.of(jwt);
		}
		catch (JwtException ex) {
			return refused();
		}
	}

	/** Refuses every token accepted so far from now on. */
	public void forgetAcceptedTokens() {
		this.forgotten.addAll(this.accepted);
	}

	/** Every {@code Authorization} header received, oldest first. */
	public List<String> received() {
		return List.copyOf(this.received);
	}

	/** The distinct bearer tokens accepted so far. */
	public Set<String> acceptedTokens() {
		return Set.copyOf(this.accepted);
	}

	/** How many requests were refused with 401. */
	public int refusals() {
		return this.refusals.get();
	}

	/**
	 * The check as a servlet filter: 401 with {@code WWW-Authenticate: Bearer} unless the
	 * token passes, the token's subject in the request attribute {@link #SUBJECT}
	 * otherwise.
	 */
	public Filter filter() {
		return new Filter() {
			@Override
			public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
					throws IOException, ServletException {
				HttpServletRequest http = (HttpServletRequest) request;
				Optional<Jwt> jwt = verify(http.getHeader("Authorization"));
				if (jwt.isEmpty()) {
					HttpServletResponse refusal = (HttpServletResponse) response;
					refusal.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
					refusal.sendError(401);
					return;
				}
				http.setAttribute(SUBJECT, jwt.get().getSubject());
				chain.doFilter(request, response);
			}
		};
	}

	private Optional<Jwt> refused() {
		this.refusals.incrementAndGet();
		return Optional.empty();
	}

}
