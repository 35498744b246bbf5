package dev.datamigrate.runner;

import java.net.InetAddress;

/**
 * This instance of the application, as the history and the ranges of parallel walks name it.
 */
public final class ThisInstance {

	private ThisInstance() {
	}

	/**
	 * This instance's host and process, as the history's {@code executed_by} records them.
	 * @return the host and process id
	 */
	public static String executedBy() {
		String host = System.getenv("HOSTNAME");
		if (host == null) {
			try {
				host = InetAddress.getLocalHost().getHostName();
			}
			catch (Exception ex) {
				host = "unknown";
			}
		}
		return host + ":" + ProcessHandle.current().pid();
	}

}
