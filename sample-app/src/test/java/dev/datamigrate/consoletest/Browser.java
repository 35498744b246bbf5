package dev.datamigrate.consoletest;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.jayway.jsonpath.JsonPath;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.util.FileSystemUtils;

/**
 * Debian's headless Chromium, driven through {@code /usr/bin/chromedriver}, signed in to the
 * application with HTTP basic credentials that the DevTools protocol adds to every request
 * ({@code Network.setExtraHTTPHeaders}): the page and each of its script's calls carry them, with no
 * browser prompt and no credentials in the URL (which Chromium does not pass on to the page's own
 * requests). It records every request the page makes, from the browser's performance log.
 */
final class Browser implements AutoCloseable {

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private final ChromeDriver driver;

	private final Path profile;

	private final String base;

	private final List<String> requests = new ArrayList<>();

	private Browser(ChromeDriver driver, Path profile, String base) {
		this.driver = driver;
		this.profile = profile;
		this.base = base;
	}

	/**
	 * Start a browser with a fresh profile for an application on a port of localhost.
	 * @param port the application's port
	 * @return the browser
	 */
	static Browser start(int port) {
		if (!new File(CHROMIUM).canExecute() || !new File(CHROMEDRIVER).canExecute()) {
			throw new IllegalStateException("The console's browser tests need Debian's Chromium and its driver at "
					+ CHROMIUM + " and " + CHROMEDRIVER + ": apt-get install -y chromium chromium-driver (.ci/run does)");
		}
		try {
			Path profile = Files.createTempDirectory("console-chromium");
			ChromeOptions options = new ChromeOptions();
			options.setBinary(CHROMIUM);
			options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--window-size=1280,1000", "--lang=en-US",
					"--user-data-dir=" + profile);
			options.setCapability("goog:loggingPrefs", Map.of(LogType.PERFORMANCE, "ALL"));
			ChromeDriverService service = new ChromeDriverService.Builder()
				.usingDriverExecutable(new File(CHROMEDRIVER))
				.usingAnyFreePort()
				.build();
			ChromeDriver driver = new ChromeDriver(service, options);
			driver.executeCdpCommand("Network.enable", Map.of());
			return new Browser(driver, profile, "http://localhost:" + port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	WebDriver driver() {
		return this.driver;
	}

	/**
	 * Send these credentials with every request from now on.
	 * @param user the user
	 * @param password the password
	 */
	void signIn(String user, String password) {
		String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
		this.driver.executeCdpCommand("Network.setExtraHTTPHeaders",
				Map.of("headers", Map.of("Authorization", "Basic " + credentials)));
	}

	/**
	 * Open a path of the application.
	 * @param path the path
	 */
	void open(String path) {
		this.driver.get(this.base + path);
	}

	/**
	 * Wait, at most {@code seconds}, until a condition holds, reading the page again when it was
	 * re-rendered under the condition's feet.
	 * @param seconds the bound
	 * @param condition the condition
	 * @param <T> what it gives once it holds
	 * @return what it gave
	 */
	<T> T waitUntil(int seconds, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, Duration.ofSeconds(seconds)).pollingEvery(Duration.ofMillis(100))
			.ignoring(StaleElementReferenceException.class)
			.until(condition);
	}

	/**
	 * Click an element once it is there, again if the page re-rendered it in between.
	 * @param by where the element is
	 */
	void click(By by) {
		waitUntil(10, (driver) -> {
			WebElement element = driver.findElement(by);
			if (!element.isDisplayed() || !element.isEnabled()) {
				return false;
			}
			element.click();
			return true;
		});
	}

	/**
	 * The text of the first element there, waiting until there is one.
	 * @param by where the element is
	 * @return its visible text
	 */
	String text(By by) {
		return waitUntil(10, (driver) -> driver.findElement(by).getText());
	}

	Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/**
	 * Emulate a screen of a width, or the window's own when {@code 0}.
	 * @param width the width in CSS pixels
	 */
	void emulateWidth(int width) {
		if (width == 0) {
			this.driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
		}
		else {
			this.driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
					Map.of("width", width, "height", 900, "deviceScaleFactor", 1, "mobile", true));
		}
	}

	/**
	 * Show dates as a viewer in this time zone sees them.
	 * @param zone an IANA time zone
	 */
	void timeZone(String zone) {
		this.driver.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", zone));
	}

	/**
	 * Write a screenshot of the window to a file.
	 * @param file the file
	 */
	void screenshot(Path file) {
		try {
			Files.createDirectories(file.getParent());
			Files.copy(this.driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Every URL the browser has requested so far, from its performance log.
	 * @return the URLs, in order
	 */
	List<URI> requests() {
		for (LogEntry entry : this.driver.manage().logs().get(LogType.PERFORMANCE)) {
			String method = JsonPath.read(entry.getMessage(), "$.message.method");
			if ("Network.requestWillBeSent".equals(method)) {
				this.requests.add(JsonPath.read(entry.getMessage(), "$.message.params.request.url"));
			}
		}
		return this.requests.stream().map(URI::create).toList();
	}

	@Override
	public void close() {
		this.driver.quit();
		FileSystemUtils.deleteRecursively(this.profile.toFile());
	}

}
