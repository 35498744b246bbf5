package dev.datamigrate.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.web.util.HtmlUtils;

/**
 * The page's HTML, read once from the jar, with its {@code {{name}}} placeholders filled in per
 * request, every value HTML-escaped.
 */
final class ConsolePage {

	static final String LOCATION = "META-INF/data-migrate-console/";

	private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([a-zA-Z]+)}}");

	private final String template;

	ConsolePage() {
		try (InputStream html = new ClassPathResource(LOCATION + "index.html").getInputStream()) {
			this.template = new String(html.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The console's page is missing from its jar", ex);
		}
	}

	/**
	 * The page with the values in place.
	 * @param values the value of each placeholder; a missing or {@code null} one renders empty
	 * @return the HTML
	 */
	String render(Map<String, @Nullable String> values) {
		Matcher matcher = PLACEHOLDER.matcher(this.template);
		StringBuilder html = new StringBuilder(this.template.length() + 512);
		while (matcher.find()) {
			String value = values.get(matcher.group(1));
			matcher.appendReplacement(html, Matcher.quoteReplacement((value != null) ? HtmlUtils.htmlEscape(value) : ""));
		}
		matcher.appendTail(html);
		return html.toString();
	}

}
