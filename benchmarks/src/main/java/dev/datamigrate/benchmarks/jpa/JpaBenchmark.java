package dev.datamigrate.benchmarks.jpa;

import java.util.ArrayList;
import java.util.List;

import dev.datamigrate.benchmarks.Result;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.Limit;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Way (d): what a Spring Data JPA user writes without the starter. Chunks of entities without a purpose,
 * read by keyset through a derived query, purpose set, {@code saveAll}, one transaction per chunk, with
 * Spring Boot's default JPA settings (so no JDBC batching of the updates). It is slow, so it stops after
 * {@code maxRows} rows.
 */
@SpringBootApplication
public class JpaBenchmark implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private JpaBenchmark(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * Start the application.
	 * @param datasourceArgs {@code --spring.datasource...} arguments
	 * @return the running application
	 */
	public static JpaBenchmark start(List<String> datasourceArgs) {
		List<String> args = new ArrayList<>(datasourceArgs);
		args.add("--data-migrate.enabled=false");
		args.add("--spring.jpa.hibernate.ddl-auto=none");
		args.add("--spring.jpa.open-in-view=false");
		args.add("--spring.datasource.hikari.maximum-pool-size=2");
		args.add("--logging.level.root=WARN");
		return new JpaBenchmark(new SpringApplicationBuilder(JpaBenchmark.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false)
			.run(args.toArray(String[]::new)));
	}

	/**
	 * Time the loop.
	 * @param chunk entities per chunk
	 * @param maxRows rows after which the loop stops
	 * @return the result; batch times are whole chunk transactions, batch rows the entities of each
	 */
	public Result run(int chunk, long maxRows) {
		NotifyLogEntryRepository repository = this.context.getBean(NotifyLogEntryRepository.class);
		TransactionTemplate transaction = new TransactionTemplate(this.context.getBean(PlatformTransactionManager.class));
		List<Long> batches = new ArrayList<>();
		List<Long> rows = new ArrayList<>();
		long start = System.nanoTime();
		long changed = 0;
		long last = 0;
		while (changed < maxRows) {
			long batchStart = System.nanoTime();
			long after = last;
			int size = (int) Math.min(chunk, maxRows - changed);
			List<NotifyLogEntry> entries = transaction.execute((status) -> {
				List<NotifyLogEntry> page = repository.findByPurposeIsNullAndIdGreaterThanOrderByIdAsc(after,
						Limit.of(size));
				page.forEach((entry) -> entry.setPurpose("unknown"));
				return repository.saveAll(page);
			});
			if (entries.isEmpty()) {
				break;
			}
			batches.add(System.nanoTime() - batchStart);
			rows.add((long) entries.size());
			changed += entries.size();
			last = entries.get(entries.size() - 1).getId();
		}
		long nanos = System.nanoTime() - start;
		return new Result(changed, nanos, batches.stream().mapToLong(Long::longValue).toArray(),
				rows.stream().mapToLong(Long::longValue).toArray());
	}

	@Override
	public void close() {
		this.context.close();
	}

}
