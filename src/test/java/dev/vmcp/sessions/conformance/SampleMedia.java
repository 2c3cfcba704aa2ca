package dev.vmcp.sessions.conformance;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * The smallest real media the conformance scenarios ask for, made with the JDK so that no
 * binary file has to be kept: a one-pixel PNG and a short silent WAV, base64-encoded as
 * MCP carries them.
 */
final class SampleMedia {

	static final String PNG_MIME_TYPE = "image/png";

	static final String WAV_MIME_TYPE = "audio/wav";

	private static final int WAV_SAMPLE_RATE = 8000;

	private static final int WAV_SAMPLE_BITS = 16;

	private static final int WAV_FRAMES = WAV_SAMPLE_RATE / 10;

	private static final String PNG_BASE64 = encode(redPixelPng());

	private static final String WAV_BASE64 = encode(silentWav());

	private SampleMedia() {
	}

	/**
	 * A 1x1 red PNG.
	 * @return its bytes in base64
	 */
	static String pngBase64() {
		return PNG_BASE64;
	}

	/**
	 * A tenth of a second of 8 kHz, 16-bit mono silence as a WAV file.
	 * @return its bytes in base64
	 */
	static String wavBase64() {
		return WAV_BASE64;
	}

	private static byte[] redPixelPng() {
		BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
		image.setRGB(0, 0, Color.RED.getRGB());
		ByteArrayOutputStream png = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "png", png);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return png.toByteArray();
	}

	private static byte[] silentWav() {
		AudioFormat format = new AudioFormat(WAV_SAMPLE_RATE, WAV_SAMPLE_BITS, 1, true, false);
		byte[] samples = new byte[WAV_FRAMES * format.getFrameSize()];
		ByteArrayOutputStream wav = new ByteArrayOutputStream();
		try (AudioInputStream audio = new AudioInputStream(new ByteArrayInputStream(samples), format, WAV_FRAMES)) {
			AudioSystem.write(audio, AudioFileFormat.Type.WAVE, wav);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return wav.toByteArray();
	}

	private static String encode(byte[] bytes) {
		return Base64.getEncoder().encodeToString(bytes);
	}

}
