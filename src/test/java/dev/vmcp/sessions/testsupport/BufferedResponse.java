package dev.vmcp.sessions.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * A response that keeps the body and content type the SDK servlet writes, so that the
 * filter can send them on in another shape. Status and headers go straight through to the
 * real response, which stays uncommitted until {@link #sendBody} (or an error sent by the
 * servlet).
 */
final class BufferedResponse extends HttpServletResponseWrapper {

	private final ByteArrayOutputStream body = new ByteArrayOutputStream();

	private final PrintWriter writer = new PrintWriter(new OutputStreamWriter(this.body, StandardCharsets.UTF_8));

	private final ServletOutputStream outputStream = new BufferServletOutputStream();

	private String contentType;

	private boolean errorSent;

	BufferedResponse(HttpServletResponse response) {
		super(response);
	}

	/**
	 * Send a body on the real response, in place of what the servlet wrote.
	 * @param response the real response
	 * @param contentType the content type to send
	 * @param content the body to send
	 * @throws IOException if writing fails
	 */
	static void sendBody(HttpServletResponse response, String contentType, String content) throws IOException {
		byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
		response.setContentType(contentType);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setContentLength(bytes.length);
		response.getOutputStream().write(bytes);
	}

	/**
	 * Send what the servlet wrote unchanged.
	 * @throws IOException if writing fails
	 */
	void sendAsWritten() throws IOException {
		if (this.errorSent) {
			return;
		}
		byte[] bytes = bufferedBytes();
		if (this.contentType != null) {
			getResponse().setContentType(this.contentType);
		}
		getResponse().setContentLength(bytes.length);
		getResponse().getOutputStream().write(bytes);
	}

	/**
	 * Whether the servlet answered through {@code sendError}, which commits the real
	 * response on its own.
	 * @return whether an error was sent
	 */
	boolean errorSent() {
		return this.errorSent;
	}

	String bufferedBody() {
		return new String(bufferedBytes(), StandardCharsets.UTF_8);
	}

	boolean hasContentType(String mediaType) {
		return this.contentType != null && this.contentType.toLowerCase().startsWith(mediaType);
	}

	@Override
	public ServletOutputStream getOutputStream() {
		return this.outputStream;
	}

	@Override
	public PrintWriter getWriter() {
		return this.writer;
	}

	@Override
	public void setContentType(String type) {
		this.contentType = type;
	}

	@Override
	public String getContentType() {
		return this.contentType;
	}

	@Override
	public void setCharacterEncoding(String charset) {
		// The buffer is always UTF-8, and so is what the filter sends on
	}

	@Override
	public String getCharacterEncoding() {
		return StandardCharsets.UTF_8.name();
	}

	@Override
	public void setContentLength(int length) {
		// The filter sets the length of the body it really sends
	}

	@Override
	public void setContentLengthLong(long length) {
		// The filter sets the length of the body it really sends
	}

	@Override
	public void flushBuffer() {
		// Flushing the real response would commit it before the body is reshaped
		this.writer.flush();
	}

	@Override
	public void resetBuffer() {
		this.writer.flush();
		this.body.reset();
	}

	@Override
	public void reset() {
		super.reset();
		resetBuffer();
		this.contentType = null;
	}

	@Override
	public void sendError(int status) throws IOException {
		this.errorSent = true;
		super.sendError(status);
	}

	@Override
	public void sendError(int status, String message) throws IOException {
		this.errorSent = true;
		super.sendError(status, message);
	}

	private byte[] bufferedBytes() {
		this.writer.flush();
		return this.body.toByteArray();
	}

	private final class BufferServletOutputStream extends ServletOutputStream {

		@Override
		public void write(int b) {
			BufferedResponse.this.body.write(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			BufferedResponse.this.body.write(bytes, offset, length);
		}

		@Override
		public boolean isReady() {
			return true;
		}

		@Override
		public void setWriteListener(WriteListener writeListener) {
			throw new UnsupportedOperationException("Non-blocking writes are not supported");
		}

	}

}
