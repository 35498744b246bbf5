package dev.datamigrate.consoletest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.datamigrate.sample.SampleApplication;
import dev.datamigrate.sample.TestRedis;
import dev.datamigrate.testsupport.Http;
import dev.datamigrate.testsupport.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations console in a real browser, on the sample application against PostgreSQL, as the
 * people who run it use it: a viewer who may only look, then an operator who runs the backfill,
 * watches it, pauses and resumes it from the keyboard, and retries and skips failed migrations. One
 * application and one browser for the whole class; the steps run in order, each on what the one
 * before left.
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class ConsoleBrowserTests {

	static final String BACKFILL = "2026.03.05.1";

	static final String FLAGS = "2026.03.12.1";

	static final String FLAGS_TO_REDIS = "2026.03.19.1";

	private static final String LIST = "/actuator/datamigrations";

	private TestDatabase database;

	private TestRedis redis;

	private ConfigurableApplicationContext application;

	private int port;

	private Browser browser;

	private Http viewer;

	@BeforeAll
	void start() {
		this.database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
		this.redis = TestRedis.create();
		List<String> arguments = new ArrayList<>(this.database.arguments());
		arguments.addAll(this.redis.arguments());
		// nothing runs until an operator asks; 50 batches of 100 rows, 500 ms apart, leave time to watch
		arguments.addAll(List.of("--server.port=0", "--data-migrate.on-startup=skip", "--data-migrate.batch.size=100",
				"--data-migrate.batch.pause=500ms"));
		this.application = SpringApplication.run(new Class<?>[] { SampleApplication.class, BrokenMigrations.class },
				arguments.toArray(String[]::new));
		this.port = ((WebServerApplicationContext) this.application).getWebServer().getPort();
		this.viewer = new Http(this.port).as("viewer", "viewer");
		this.browser = Browser.start(this.port);
	}

	@AfterAll
	void stop() {
		BrokenMigrations.TOTALS_BROKEN.set(true);
		if (this.browser != null) {
			this.browser.close();
		}
		if (this.application != null) {
			this.application.close();
		}
		if (this.database != null) {
			this.database.close();
		}
		if (this.redis != null) {
			this.redis.close();
		}
	}

	@Test
	@Order(1)
	void aViewerSeesEveryMigrationInVersionOrderWithoutActionsAndAForgedRequestIsRefused() {
		this.browser.signIn("viewer", "viewer");
		this.browser.open("/datamigrations");
		List<String> versions = this.browser.waitUntil(20, (driver) -> (versions().size() == 5) ? versions() : null);
		assertThat(versions).containsExactly(BACKFILL, FLAGS, FLAGS_TO_REDIS, BrokenMigrations.RECOUNT,
				BrokenMigrations.DROP);
		assertThat(statuses()).containsOnly("PENDING").hasSize(5);
		assertThat(this.browser.text(card(BrokenMigrations.RECOUNT, ".description"))).as("markup shown as text")
			.isEqualTo("Recount <b>order</b> totals");
		assertThat(this.browser.text(By.cssSelector(".post-deploy li"))).contains("NOT APPLIED")
			.contains("6-notify-log-entries-purpose-not-null");
		assertThat(this.browser.driver().findElements(By.cssSelector("button[data-action]"))).isEmpty();
		assertThat(this.browser.driver().findElement(By.id("run")).isDisplayed()).isFalse();
		assertThat(this.browser.text(By.cssSelector("#content .note"))).startsWith("Read-only");
		assertReadable(null);

		// what a viewer could forge with the browser's developer tools: the endpoint still says no
		this.browser.script("document.body.dataset.writable = 'true'");
		this.browser.click(By.id("refresh"));
		this.browser.click(By.id("run"));
		this.browser.waitUntil(10, (driver) -> message().startsWith("Not allowed (403)"));
		assertThat(message()).isEqualTo("Not allowed (403): your user may not run data migrations.");
		assertThat(this.viewer.get(LIST).<List<String>>read("$.migrations[*].status")).containsOnly("PENDING");
	}

	@Test
	@Order(2)
	void aMigrationThatDoesNotExistIsNamedAsSuch() {
		this.browser.open("/datamigrations/2099.01.01.1");
		assertThat(this.browser.text(By.cssSelector(".missing")))
			.isEqualTo("No such migration: this application has no data migration with version 2099.01.01.1.");
		this.browser.open("/datamigrations/%3Cimg%20src=x%20onerror=alert(1)%3E");
		assertThat(this.browser.text(By.cssSelector(".missing code"))).isEqualTo("<img src=x onerror=alert(1)>");
		assertThat(this.browser.driver().getTitle()).isEqualTo("No such migration · Data migrations");
	}

	@Test
	@Order(3)
	void anOperatorRunsTheBackfillAndWatchesItGrowWithAnEstimate() {
		this.browser.signIn("ops", "ops");
		this.browser.timeZone("Asia/Kolkata");
		this.browser.open("/datamigrations");
		this.browser.click(By.id("run"));
		this.browser.waitUntil(10, (driver) -> message().startsWith("Started: "));
		assertThat(message()).isEqualTo("Started: " + String.join(", ", BACKFILL, FLAGS, FLAGS_TO_REDIS,
				BrokenMigrations.RECOUNT, BrokenMigrations.DROP) + ".");

		List<Double> readings = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			double last = readings.isEmpty() ? 0 : readings.get(readings.size() - 1);
			readings.add(this.browser.waitUntil(15, (driver) -> {
				double value = progress(BACKFILL);
				return (value > last && value < 1) ? value : null;
			}));
		}
		assertThat(readings).isSorted().doesNotHaveDuplicates();
		assertThat(this.browser.text(card(BACKFILL, ".badge"))).isEqualTo("RUNNING");
		assertThat(this.browser.text(card(BACKFILL, ".records"))).matches("[0-9,]+ / 5,000 records \\([0-9]+%\\)");
		String eta = this.browser.waitUntil(15, (driver) -> driver.findElement(card(BACKFILL, ".eta")).getText());
		assertThat(eta).matches("about ([0-9]+ min )?[0-9]+ s left, ends around [0-9:]+ [AP]M");
		assertThat(this.browser.text(card(BACKFILL, ".rate"))).matches("[0-9.,]+ rows/s over the last minute");
		assertThat(fact(BACKFILL, "Triggered by")).isEqualTo("ops");
		assertThat(fact(BACKFILL, "Batch size")).isEqualTo("100");
		Instant started = Instant.parse(this.viewer.get(LIST + "/" + BACKFILL).read("$.startedAt"));
		assertThat(fact(BACKFILL, "Started")).as("in the viewer's time zone")
			.contains(DateTimeFormatter.ofPattern("hh:mm:ss a", Locale.US).withZone(ZoneId.of("Asia/Kolkata")).format(started))
			.endsWith("GMT+5:30");
		this.browser.screenshot(Path.of("target", "console-backfill.png"));
		assertReadable(Path.of("target", "console-backfill-320px.png"));
	}

	@Test
	@Order(4)
	void anOperatorPausesFromTheKeyboardAndResumes() {
		By pause = By.cssSelector("[data-key='pause:" + BACKFILL + "']");
		this.browser.waitUntil(10, (driver) -> !driver.findElements(pause).isEmpty());
		// from the top of the page, the Tab key alone reaches the button
		this.browser.script("document.activeElement.blur(); window.scrollTo(0, 0)");
		this.browser.waitUntil(10, (driver) -> {
			new Actions(driver).sendKeys(Keys.TAB).perform();
			return ("pause:" + BACKFILL).equals(this.browser.script("return document.activeElement.dataset.key"));
		});
		new Actions(this.browser.driver()).sendKeys(Keys.ENTER).perform();
		this.browser.waitUntil(10, (driver) -> message().equals(BACKFILL + " is now PAUSED."));
		assertThat(this.viewer.get(LIST + "/" + BACKFILL).<String>read("$.status")).isEqualTo("PAUSED");
		this.browser.waitUntil(10, (driver) -> status(BACKFILL).equals("PAUSED"));

		this.browser.click(By.cssSelector("[data-key='resume:" + BACKFILL + "']"));
		this.browser.waitUntil(10, (driver) -> message().equals(BACKFILL + " is now PENDING."));
		this.browser.waitUntil(90, (driver) -> status(BrokenMigrations.RECOUNT).equals("FAILED"));
		assertThat(statuses()).containsExactly("SUCCEEDED", "SUCCEEDED", "SUCCEEDED", "FAILED", "PENDING");
		assertThat(progress(BACKFILL)).isEqualTo(1.0);
		assertThat(fact(BACKFILL, "Attempts")).as("paused and resumed").isEqualTo("2");
	}

	@Test
	@Order(5)
	void aFailedMigrationShowsItsErrorAsTextOnItsOwnPageAndIsRetried() {
		By error = card(BrokenMigrations.RECOUNT, ".error-text p");
		assertThat(this.browser.text(error))
			.isEqualTo("Error: java.lang.IllegalStateException: " + BrokenMigrations.RECOUNT_ERROR);
		assertThat(this.browser.script("return window.pwned === undefined && document.title === 'Data migrations'"))
			.isEqualTo(true);
		By rest = card(BrokenMigrations.RECOUNT, "details pre");
		assertThat(this.browser.driver().findElement(rest).isDisplayed()).as("folded").isFalse();
		this.browser.click(card(BrokenMigrations.RECOUNT, "details summary"));
		assertThat(this.browser.text(rest)).isEqualTo("second line of the error\nthird line of the error");

		this.browser.open("/datamigrations/" + BACKFILL);
		List<String> points = this.browser.waitUntil(10, (driver) -> {
			List<String> lines = driver.findElements(By.cssSelector(".chart polyline"))
				.stream()
				.map((line) -> line.getAttribute("points"))
				.toList();
			return lines.isEmpty() ? null : lines;
		});
		int batches = this.viewer.get(LIST + "/" + BACKFILL).<List<Object>>read("$.recentBatches").size();
		assertThat(batches).as("the batches of the resumed run").isBetween(2, 50);
		assertThat(points).extracting((line) -> line.split(" ").length)
			.as("rows/s between batches, and each batch's duration")
			.containsExactly(batches - 1, batches);
		this.browser.screenshot(Path.of("target", "console-chart.png"));

		this.browser.open("/datamigrations/" + BrokenMigrations.RECOUNT);
		assertThat(this.browser.text(By.cssSelector(".migration h2"))).isEqualTo(BrokenMigrations.RECOUNT);
		assertThat(this.browser.text(By.cssSelector(".migration .badge"))).isEqualTo("FAILED");
		this.browser.screenshot(Path.of("target", "console-failed.png"));
		assertReadable(null);

		BrokenMigrations.TOTALS_BROKEN.set(false);
		this.browser.click(By.cssSelector("[data-key='retry:" + BrokenMigrations.RECOUNT + "']"));
		Alert confirm = this.browser.waitUntil(5, ExpectedConditions.alertIsPresent());
		assertThat(confirm.getText()).isEqualTo("Retry data migration " + BrokenMigrations.RECOUNT
				+ " (Recount <b>order</b> totals)? It is queued to run again.");
		confirm.accept();
		this.browser.waitUntil(10, (driver) -> message().equals(BrokenMigrations.RECOUNT + " is now PENDING."));
		this.browser.waitUntil(30, (driver) -> driver.findElement(By.cssSelector(".migration .badge"))
			.getText()
			.equals("SUCCEEDED"));
		assertThat(this.viewer.get(LIST + "/" + BrokenMigrations.RECOUNT).<String>read("$.status")).isEqualTo("SUCCEEDED");
	}

	@Test
	@Order(6)
	void aFailedMigrationIsSkippedAfterAConfirmationThatNamesIt() {
		this.browser.open("/datamigrations");
		this.browser.waitUntil(30, (driver) -> status(BrokenMigrations.DROP).equals("FAILED"));
		By skip = By.cssSelector("[data-key='skip:" + BrokenMigrations.DROP + "']");
		this.browser.click(skip);
		Alert cancel = this.browser.waitUntil(5, ExpectedConditions.alertIsPresent());
		assertThat(cancel.getText()).startsWith("Skip data migration " + BrokenMigrations.DROP + " (Drop stale sessions)?");
		cancel.dismiss();
		this.browser.waitUntil(5, (driver) -> message().equals("Skip of " + BrokenMigrations.DROP + " cancelled."));
		assertThat(this.viewer.get(LIST + "/" + BrokenMigrations.DROP).<String>read("$.status")).isEqualTo("FAILED");

		this.browser.click(skip);
		this.browser.waitUntil(5, ExpectedConditions.alertIsPresent()).accept();
		this.browser.waitUntil(10, (driver) -> message().equals(BrokenMigrations.DROP + " is now SKIPPED."));
		assertThat(this.viewer.get(LIST + "/" + BrokenMigrations.DROP).<String>read("$.status")).isEqualTo("SKIPPED");
		this.browser.waitUntil(10, (driver) -> status(BrokenMigrations.DROP).equals("SKIPPED"));
	}

	@Test
	@Order(7)
	void thePageAsksNothingOfAnyOtherHost() {
		List<URI> requests = this.browser.requests();
		assertThat(requests).as("the page, its script and style, and the endpoint's answers")
			.extracting(URI::getPath)
			.contains("/datamigrations", "/datamigrations/assets/console.js", "/datamigrations/assets/console.css", LIST,
					LIST + "/" + BACKFILL);
		// the browser's own pages (chrome://, about:, data:) load nothing from the network
		assertThat(requests).filteredOn((request) -> !List.of("chrome", "about", "data").contains(request.getScheme()))
			.allSatisfy((request) -> assertThat(request.getScheme() + "://" + request.getAuthority())
				.isEqualTo("http://localhost:" + this.port));
	}

	// ---- reading the page

	private List<String> versions() {
		return this.browser.driver()
			.findElements(By.cssSelector(".migrations > li"))
			.stream()
			.map((item) -> item.getAttribute("data-version"))
			.toList();
	}

	private List<String> statuses() {
		return this.browser.waitUntil(10, (driver) -> {
			List<String> statuses = driver.findElements(By.cssSelector(".migrations > li > .head .badge"))
				.stream()
				.map(WebElement::getText)
				.toList();
			return statuses.isEmpty() ? null : statuses;
		});
	}

	private String status(String version) {
		return this.browser.driver().findElement(card(version, ".head .badge")).getText();
	}

	private double progress(String version) {
		String value = this.browser.driver().findElement(card(version, "progress")).getAttribute("value");
		return Double.parseDouble(value);
	}

	private String fact(String version, String name) {
		return this.browser.waitUntil(10, (driver) -> driver.findElements(card(version, ".facts div"))
			.stream()
			.filter((fact) -> fact.findElement(By.tagName("dt")).getText().equals(name))
			.map((fact) -> fact.findElement(By.tagName("dd")).getText())
			.findFirst()
			.orElse(null));
	}

	private String message() {
		return this.browser.driver().findElement(By.id("message")).getText();
	}

	private static By card(String version, String inside) {
		return By.cssSelector("[data-version='" + version + "'] " + inside);
	}

	/**
	 * What a person with a small screen or weak sight needs: nothing wider than 320 CSS pixels, and each
	 * status word and text at least 4.5:1 against its background (WCAG AA's contrast formula, computed in
	 * the page from the colours the browser renders).
	 */
	private void assertReadable(Path screenshot) {
		this.browser.emulateWidth(320);
		try {
			Object fits = this.browser.waitUntil(10, (driver) -> this.browser.script(
					"return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
							+ " && document.documentElement.clientWidth <= 320"));
			assertThat(fits).as("no sideways scrolling at 320 px").isEqualTo(true);
			if (screenshot != null) {
				this.browser.screenshot(screenshot);
			}
			Object checked = this.browser.script(CONTRAST, ".badge, .description, .records, .facts dt, .facts dd, "
					+ ".error-text p, .message, .note, .summary, .updated, button, a");
			assertThat((List<?>) checked).as("texts checked, then those below 4.5:1").isNotEmpty()
				.filteredOn((text) -> !String.valueOf(text).startsWith("ok "))
				.isEmpty();
		}
		finally {
			this.browser.emulateWidth(0);
		}
	}

	/**
	 * For each visible element of a selector: "ok" or the text, then its contrast ratio with the first
	 * opaque background behind it.
	 */
	private static final String CONTRAST = """
			const luminance = (colour) => {
				const [r, g, b] = colour.match(/[0-9.]+/g).slice(0, 3).map((c) => c / 255)
					.map((c) => (c <= 0.03928) ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4));
				return 0.2126 * r + 0.7152 * g + 0.0722 * b;
			};
			const background = (element) => {
				for (let e = element; e; e = e.parentElement) {
					const colour = getComputedStyle(e).backgroundColor;
					if (!/^rgba\\(.*, 0\\)$/.test(colour) && colour !== 'transparent') {
						return colour;
					}
				}
				return 'rgb(255, 255, 255)';
			};
			return [...document.querySelectorAll(arguments[0])].filter((e) => e.offsetParent !== null).map((e) => {
				const a = luminance(getComputedStyle(e).color), b = luminance(background(e));
				const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
				return (ratio >= 4.5 ? 'ok ' : e.textContent + ' ') + ratio.toFixed(2);
			});
			""";

}
