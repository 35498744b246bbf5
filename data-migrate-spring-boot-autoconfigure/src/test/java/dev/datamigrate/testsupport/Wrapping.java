package dev.datamigrate.testsupport;

import java.util.function.UnaryOperator;

import org.springframework.beans.factory.config.BeanPostProcessor;

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

}
