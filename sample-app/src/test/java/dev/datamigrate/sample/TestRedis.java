package dev.datamigrate.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The sample's feature flags in Redis for one test: a key prefix of its own
 * ({@code sample.flags.redis-prefix}), so that parallel and repeated runs, and the sample's own default
 * run, never meet; its keys are deleted when closed. The server is {@code DATA_MIGRATE_TEST_REDIS_URL}
 * (a {@code redis://} URL) or 127.0.0.1:6379. When it does not answer, the test fails and says how to
 * provide one: a test that needs Redis never skips.
 */
public final class TestRedis implements AutoCloseable {

	private final String url;

	private final String prefix;

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private TestRedis(String url, String prefix, RedisClient client, StatefulRedisConnection<String, String> connection) {
		this.url = url;
		this.prefix = prefix;
		this.client = client;
		this.connection = connection;
	}

	/**
	 * Connect to the test's Redis server with a new key prefix.
	 * @return the test's Redis
	 * @throws IllegalStateException if the server does not answer
	 */
	public static TestRedis create() {
		String url = System.getenv().getOrDefault("DATA_MIGRATE_TEST_REDIS_URL", "redis://127.0.0.1:6379");
		String prefix = "dm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16) + ":feature-flag:";
		RedisClient client = RedisClient.create(url);
		try {
			StatefulRedisConnection<String, String> connection = client.connect();
			connection.sync().ping();
			return new TestRedis(url, prefix, client, connection);
		}
		catch (RedisException ex) {
			client.shutdown();
			throw new IllegalStateException("No Redis server answered at " + url + ": " + ex.getMessage()
					+ ". The sample's tests need one and never skip. Start Redis on 127.0.0.1:6379 (.ci/run does), or "
					+ "set DATA_MIGRATE_TEST_REDIS_URL to the redis:// URL of another.", ex);
		}
	}

	/**
	 * Spring Boot properties that point the sample at this server and this test's key prefix.
	 * @return the properties, by name
	 */
	public Map<String, String> properties() {
		return Map.of("spring.data.redis.url", this.url, "sample.flags.redis-prefix", this.prefix);
	}

	/**
	 * The same properties as command-line arguments.
	 * @return the arguments
	 */
	public List<String> arguments() {
		return properties().entrySet().stream().map((property) -> "--" + property.getKey() + "=" + property.getValue()).toList();
	}

	/**
	 * Every flag under this test's prefix, read now.
	 * @return the values by flag name, in name order
	 */
	public Map<String, String> flags() {
		RedisCommands<String, String> redis = this.connection.sync();
		List<String> keys = keys();
		Map<String, String> flags = new TreeMap<>();
		for (int from = 0; from < keys.size(); from += 1000) {
			for (KeyValue<String, String> flag : redis.mget(keys.subList(from, Math.min(from + 1000, keys.size()))
				.toArray(String[]::new))) {
				flags.put(flag.getKey().substring(this.prefix.length()), flag.getValueOrElse(null));
			}
		}
		return flags;
	}

	/**
	 * The number of keys under this test's prefix.
	 * @return the count
	 */
	public int count() {
		return keys().size();
	}

	private List<String> keys() {
		RedisCommands<String, String> redis = this.connection.sync();
		ScanArgs matching = ScanArgs.Builder.matches(this.prefix + "*").limit(1000);
		List<String> keys = new ArrayList<>();
		KeyScanCursor<String> cursor = redis.scan(matching);
		keys.addAll(cursor.getKeys());
		while (!cursor.isFinished()) {
			cursor = redis.scan(cursor, matching);
			keys.addAll(cursor.getKeys());
		}
		return keys;
	}

	@Override
	public void close() {
		try {
			List<String> keys = keys();
			for (int from = 0; from < keys.size(); from += 1000) {
				this.connection.sync().del(keys.subList(from, Math.min(from + 1000, keys.size())).toArray(String[]::new));
			}
		}
		finally {
			this.connection.close();
			this.client.shutdown();
		}
	}

	@Override
	public String toString() {
		return this.url + " under " + this.prefix;
	}

}
