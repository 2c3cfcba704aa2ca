package dev.vmcp.sessions.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses API request bodies over the limit before anything reads them, with a 413
 * problem. Bodies sent without a length are bounded by the JSON reader's own limits.
 */
@Component
class RequestSizeLimitFilter extends OncePerRequestFilter {

	/** Largest request body accepted: metadata is limited far below this. */
	static final long MAX_BODY_BYTES = 64 * 1024;

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith("/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > MAX_BODY_BYTES) {
			response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.getWriter()
				.write("{\"type\":\"about:blank\",\"title\":\"Too large\",\"status\":413,\"detail\":\""
						+ new RequestTooLargeException(MAX_BODY_BYTES).getMessage() + "\",\"instance\":\""
						+ request.getRequestURI().replace("\"", "") + "\"}");
			return;
		}
		chain.doFilter(request, response);
	}

}
