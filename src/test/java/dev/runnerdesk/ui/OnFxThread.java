package dev.runnerdesk.ui;

import dev.runnerdesk.testutil.Await;
import javafx.application.Platform;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.testfx.api.FxToolkit;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test class's set-up, tests and tear-down on the FX thread, with the toolkit started and no window: a
 * controller test builds its controller with an {@link ImmediateTaskExecutor} and reads the outcome of each step
 * at once. While a test runs, the FX thread is the test's: no pulse, timer or event from another thread runs in
 * the middle of a step, only while the test waits for it with {@link #until}.
 */
public final class OnFxThread implements BeforeAllCallback, InvocationInterceptor {
    /** Longer than any controller test takes; shorter than the suite's default timeout, so this one reports. */
    private static final long LIMIT_SECONDS = 120;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        FxToolkit.registerPrimaryStage(); // TestFX's own start of the toolkit, which its window tests then share
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                          ExtensionContext extension) throws Throwable {
        onFx(invocation);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                    ExtensionContext extension) throws Throwable {
        onFx(invocation);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> context,
                                         ExtensionContext extension) throws Throwable {
        onFx(invocation);
    }

    /**
     * Waits on the FX thread until {@code condition} holds, letting the FX thread run what is queued for it meanwhile
     * (live events, timers, pulses) — {@link Await#until} with the event loop turning.
     */
    public static void until(Callable<Boolean> condition, Duration timeout, String what) {
        Await.until(() -> {
            turnEventLoop();
            return condition.call();
        }, timeout, what);
    }

    /** Runs what the FX thread has queued, from a test that holds the FX thread. */
    private static void turnEventLoop() {
        Object key = new Object();
        Platform.runLater(() -> Platform.exitNestedEventLoop(key, null));
        Platform.enterNestedEventLoop(key);
    }

    private static void onFx(Invocation<Void> invocation) throws Throwable {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                invocation.proceed();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        });
        try {
            done.get(LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }
}
