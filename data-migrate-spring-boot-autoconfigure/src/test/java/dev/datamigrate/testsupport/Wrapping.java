package dev.datamigrate.testsupport;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.UnaryOperator;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Replaces the beans of one type with wrappers around them, to watch what the starter does with them.
 */
public final class Wrapping {

	private Wrapping() {
	}

	/**
	 * A post-processor that wraps every bean of a type.
	 * @param <T> the type
	 * @param type the type
	 * @param wrapper makes the wrapper of a bean
	 * @return the post-processor, to declare as a static {@code @Bean}
	 */
	public static <T> BeanPostProcessor beansOf(Class<T> type, UnaryOperator<T> wrapper) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return type.isInstance(bean) ? wrapper.apply(type.cast(bean)) : bean;
			}

		};
	}

	/**
	 * A post-processor that wraps every {@code DataSource}, handing out its connections in its own way.
	 * @param connect gets a connection from the wrapped data source
	 * @return the post-processor, to declare as a static {@code @Bean}
	 */
	public static BeanPostProcessor dataSources(Connect connect) {
		return beansOf(DataSource.class, (dataSource) -> new DelegatingDataSource(dataSource) {

			@Override
			public Connection getConnection() throws SQLException {
				return connect.from(obtainTargetDataSource());
			}

		});
	}

	/**
	 * How a wrapped data source hands out a connection.
	 */
	@FunctionalInterface
	public interface Connect {

		/**
		 * Get a connection.
		 * @param dataSource the wrapped data source
		 * @return the connection to hand out
		 * @throws SQLException if there is none
		 */
		Connection from(DataSource dataSource) throws SQLException;

	}

	/**
	 * A proxy of an interface whose calls go through {@code call}, which invokes the target's method
	 * itself; an exception the target throws reaches the caller unwrapped.
	 * @param <T> the interface
	 * @param type the interface
	 * @param target the object behind the proxy
	 * @param call what a call does
	 * @return the proxy
	 */
	@SuppressWarnings("unchecked")
	public static <T> T proxy(Class<T> type, T target, Call call) {
		return (T) Proxy.newProxyInstance(Wrapping.class.getClassLoader(), new Class<?>[] { type },
				(self, method, args) -> {
					try {
						return call.invoke(method, args);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

	/**
	 * A call on a proxy.
	 */
	@FunctionalInterface
	public interface Call {

		/**
		 * Handle a call.
		 * @param method the method called, to invoke on the target
		 * @param args its arguments
		 * @return its result
		 * @throws Throwable what it throws
		 */
		Object invoke(Method method, Object[] args) throws Throwable;

	}

}
