/**
 * Internal: hints for Spring AOT and native images. Not an API; it changes without notice.
 */
@NullMarked
package dev.datamigrate.aot;

import org.jspecify.annotations.NullMarked;
