package io.jtcp.simulation;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;

/**
 * Virtual threads with a scheduler of our choosing. The JDK keeps that constructor of its
 * virtual-thread builder non-public (it serves the JDK's own tests), so the simulation
 * reaches it by reflection; that needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}
 * (or {@code =io.jtcp.core} on the module path).
 */
final class VirtualThreads {
    private VirtualThreads() {}

    static Thread.Builder.OfVirtual builder(Executor scheduler) {
        try {
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> ctor = c.getDeclaredConstructor(Executor.class);
            ctor.setAccessible(true);
            return (Thread.Builder.OfVirtual) ctor.newInstance(scheduler);
        } catch (RuntimeException | ReflectiveOperationException e) {
            throw new IllegalStateException("the simulation runs application threads as virtual threads on its own scheduler,"
                    + " which needs the JVM option --add-opens java.base/java.lang=" + moduleName() + " (" + e + ")", e);
        }
    }

    private static String moduleName() {
        Module m = VirtualThreads.class.getModule();
        return m.isNamed() ? m.getName() : "ALL-UNNAMED";
    }
}
