package dev.datamigrate.webonly;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import dev.datamigrate.sample.SampleApplication;

import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.security.config.annotation.authentication.builders.AuthenticationManagerBuilder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample as a JHipster application is built: a controller that needs a bean only a web application
 * with Spring Security has ({@link AuthenticationManagerBuilder}), run in a JVM of its own by
 * {@link ExitingModesInAWebApplicationTests}. It prints the TCP ports this process listens on once it is
 * ready, before the exiting modes exit.
 */
@Configuration(proxyBeanMethods = false)
public class WebOnlyApplication {

	static final String LISTENING = "[web-only] listening on TCP ports: ";

	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(SampleApplication.class, WebOnlyApplication.class);
		application.addInitializers((context) -> context.getBeanFactory()
			.registerSingleton("leaveOutTestClasses", new LeaveOutTestClasses()));
		application.run(args);
	}

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	ApplicationListener<ApplicationReadyEvent> listeningPortsProbe() {
		return (event) -> System.out.println(LISTENING + listeningPorts());
	}

	@Bean
	@ConditionalOnProperty("web-only.fail")
	Object failingBean() {
		throw new IllegalStateException("A bean of the application failed");
	}

	@Bean
	@ConditionalOnProperty("web-only.exit-code")
	ExitCodeGenerator applicationExitCode(Environment environment) {
		return () -> environment.getRequiredProperty("web-only.exit-code", Integer.class);
	}

	/**
	 * The ports of the sockets in state LISTEN that this process holds, from {@code /proc}.
	 */
	private static List<Integer> listeningPorts() {
		Set<String> ownSockets = new HashSet<>();
		try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
			descriptors.forEach((descriptor) -> {
				try {
					String target = Files.readSymbolicLink(descriptor).toString();
					if (target.startsWith("socket:[")) {
						ownSockets.add(target.substring(8, target.length() - 1));
					}
				}
				catch (IOException ex) {
					// closed meanwhile
				}
			});
			List<Integer> ports = new ArrayList<>();
			for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
				List<String> lines = Files.readAllLines(Path.of(table));
				for (String line : lines.subList(1, lines.size())) {
					String[] fields = line.trim().split("\\s+");
					if (fields[3].equals("0A") && ownSockets.contains(fields[9])) {
						ports.add(Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1), 16));
					}
				}
			}
			return ports;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@RestController
	static class AccountController {

		AccountController(AuthenticationManagerBuilder authentication) {
		}

		@GetMapping("/api/account")
		String account() {
			return "account";
		}

	}

	/**
	 * Keeps the sample's component scan off the test classes beside it (its Testcontainers configuration),
	 * as {@code @SpringBootTest} does.
	 */
	static class LeaveOutTestClasses extends TypeExcludeFilter {

		@Override
		public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
			try {
				return reader.getResource().getURL().toString().contains("/test-classes/");
			}
			catch (IOException ex) {
				return false;
			}
		}

	}

}
