package dev.datamigrate.runner;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A migration version: digit segments separated by {@code .} or {@code _}, compared numerically
 * segment by segment, so {@code 1.10} comes after {@code 1.9}. Trailing zero segments do not count:
 * {@code 1.0} and {@code 1} are the same version.
 */
public final class MigrationVersion implements Comparable<MigrationVersion> {

	private static final Pattern FORMAT = Pattern.compile("\\d+([._]\\d+)*");

	private static final Pattern SEPARATOR = Pattern.compile("[._]");

	private final String text;

	private final BigInteger[] segments;

	private MigrationVersion(String text, BigInteger[] segments) {
		this.text = text;
		this.segments = segments;
	}

	/**
	 * Parse a version.
	 * @param text the version as written
	 * @return the version
	 * @throws IllegalArgumentException if it is not digit segments separated by {@code .} or {@code _}
	 */
	public static MigrationVersion parse(String text) {
		if (text == null || !FORMAT.matcher(text).matches()) {
			throw new IllegalArgumentException("'" + text + "' is not a valid version: use digit segments "
					+ "separated by '.' or '_', such as 2026.03.05.1 or 20260305091000");
		}
		BigInteger[] segments = Arrays.stream(SEPARATOR.split(text)).map(BigInteger::new).toArray(BigInteger[]::new);
		int length = segments.length;
		while (length > 1 && segments[length - 1].signum() == 0) {
			length--;
		}
		return new MigrationVersion(text, Arrays.copyOf(segments, length));
	}

	@Override
	public int compareTo(MigrationVersion other) {
		int common = Math.min(this.segments.length, other.segments.length);
		for (int i = 0; i < common; i++) {
			int compared = this.segments[i].compareTo(other.segments[i]);
			if (compared != 0) {
				return compared;
			}
		}
		return Integer.compare(this.segments.length, other.segments.length);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof MigrationVersion version && compareTo(version) == 0;
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.segments);
	}

	@Override
	public String toString() {
		return this.text;
	}

}
