package dev.datamigrate.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * A section of BENCHMARKS.md that one benchmark writes in place and the others keep when they rewrite
 * the file: from its heading to the next heading of its level.
 *
 * @param heading the section's heading, such as {@code ## Parallel walks}
 */
record MarkdownSection(String heading) {

	/**
	 * Write the section into a file, in place of an earlier one, or at its end.
	 * @param file BENCHMARKS.md
	 * @param markdown the new section, made from the earlier one (empty when there was none)
	 * @throws IOException if the file cannot be read or written
	 */
	void write(Path file, UnaryOperator<String> markdown) throws IOException {
		String text = Files.exists(file) ? Files.readString(file) : "";
		int start = text.indexOf(this.heading);
		String before = (start >= 0) ? text.substring(0, start) : text + (text.isEmpty() ? "" : "\n");
		int end = (start >= 0) ? end(text, start) : text.length();
		String after = (start >= 0) ? text.substring(end) : "";
		String written = markdown.apply((start >= 0) ? text.substring(start, end) : "");
		if (!after.isEmpty() && !written.endsWith("\n\n")) {
			written += "\n";
		}
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, before + written + after);
	}

	/**
	 * The section as a file has it, for a writer of the whole file to keep.
	 * @param file BENCHMARKS.md
	 * @return the section after a blank line, or nothing
	 * @throws IOException if the file cannot be read
	 */
	String in(Path file) throws IOException {
		String text = Files.exists(file) ? Files.readString(file) : "";
		int start = text.indexOf(this.heading);
		return (start >= 0) ? "\n" + text.substring(start, end(text, start)) : "";
	}

	private int end(String text, int start) {
		int next = text.indexOf("\n## ", start + this.heading.length());
		return (next >= 0) ? next + 1 : text.length();
	}

}
