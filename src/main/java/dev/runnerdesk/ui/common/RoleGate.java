package dev.runnerdesk.ui.common;

import dev.runnerdesk.core.Role;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.util.Duration;

/**
 * What the current role may do, and why not: controls the role cannot use are disabled (not hidden) and say
 * why on hover. A disabled node gets no mouse events, so the reason is a tooltip on a thin wrapper around it.
 */
public final class RoleGate {
    private static final String REASON_KEY = RoleGate.class.getName() + ".reason";

    private RoleGate() {
    }

    /** Whether {@code role} (null: not known yet, treated as allowed until whoami answers) has {@code permission}. */
    public static BooleanBinding allows(ObservableValue<Role> role, Role.Permission permission) {
        return Bindings.createBooleanBinding(() -> role.getValue() == null || role.getValue().may(permission), role);
    }

    /** Empty when allowed; otherwise e.g. "your role is auditor; stopping sessions needs operator or admin". */
    public static StringBinding reason(ObservableValue<Role> role, Role.Permission permission, String doing) {
        return Bindings.createStringBinding(() -> reasonFor(role.getValue(), permission, doing), role);
    }

    public static String reasonFor(Role role, Role.Permission permission, String doing) {
        if (role == null || role.may(permission)) {
            return "";
        }
        // every role that has it: roles are not a ladder, so "needs operator" would not say that admin will do
        return "your role is " + role.wireName() + "; " + doing + " needs " + Role.namesWith(permission);
    }

    /**
     * Wraps {@code control} so {@code reason} (when not empty) shows on hover even while the control is disabled.
     * The wrapper follows the control's visible/managed state; use it in the layout in place of the control.
     */
    public static Node wrap(Control control, ObservableValue<String> reason) {
        StackPane wrapper = new StackPane(control);
        wrapper.getStyleClass().add("role-gate");
        wrapper.visibleProperty().bind(control.visibleProperty());
        wrapper.managedProperty().bind(control.managedProperty());
        wrapper.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        if (control.getId() != null) {
            wrapper.setId(control.getId() + "-gate");
        }
        Tooltip tip = new Tooltip();
        tip.setShowDelay(Duration.millis(250));
        Runnable apply = () -> {
            String why = reason.getValue() == null ? "" : reason.getValue();
            control.getProperties().put(REASON_KEY, why);
            if (why.isEmpty()) {
                Tooltip.uninstall(wrapper, tip);
            } else {
                tip.setText(capitalize(why));
                Tooltip.install(wrapper, tip);
            }
        };
        // a binding listens to the role weakly: the wrapper keeps it alive, or it could be collected and go silent
        wrapper.getProperties().put(REASON_KEY + ".source", reason);
        reason.addListener((o, was, now) -> apply.run());
        apply.run();
        return wrapper;
    }

    /** The reason a wrapped control shows on hover, empty when none (for tests and accessibility). */
    public static String reasonShown(Node control) {
        Object why = control.getProperties().get(REASON_KEY);
        return why == null ? "" : capitalize(why.toString());
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
