package dev.runnerdesk.ui.screen;

import atlantafx.base.theme.Styles;
import javafx.geometry.Orientation;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Line;
import javafx.scene.shape.Shape;

import java.util.Optional;

/**
 * A screenshot scaled to fit (or at full size), with a crosshair where the action pointed, or a message in
 * its place while it loads or when it cannot be shown; above it, when its owner gives one, a status line (the wait
 * for the screenshot, with its Cancel). Lays itself out, so the mark stays on its pixel at any size.
 */
public final class ScreenshotPane extends Region {
    private static final double FIT_PREF_WIDTH = 320;
    private final boolean fit;
    private final ImageView imageView = new ImageView();
    private final Group marker = new Group();
    // a drag: where it started, and the way to where it ended
    private final Group startMarker = new Group();
    private final Line dragLine = new Line();
    private final Label message = new Label();
    private static final double STATUS_GAP = 6;
    /** The owner's line above the picture; takes no room while nothing in it is shown. */
    private Node status;
    private Optional<ComputerAction.Point> mark = Optional.empty();
    private Optional<ComputerAction.Point> start = Optional.empty();

    /** {@code fit}: scaled down to the space it gets (never up); otherwise one screen pixel per image pixel. */
    public ScreenshotPane(boolean fit) {
        this.fit = fit;
        getStyleClass().add("screenshot-pane");
        imageView.setId("screenshot-image");
        imageView.setSmooth(true);
        imageView.setPreserveRatio(false); // the layout keeps the ratio itself
        marker.setId("screenshot-marker");
        marker.setManaged(false);
        marker.setMouseTransparent(true);
        marker.getChildren().addAll(halo(new Circle(11)), halo(new Line(-18, 0, -5, 0)), halo(new Line(5, 0, 18, 0)),
                halo(new Line(0, -18, 0, -5)), halo(new Line(0, 5, 0, 18)),
                mark(new Circle(11)), mark(new Line(-18, 0, -5, 0)), mark(new Line(5, 0, 18, 0)),
                mark(new Line(0, -18, 0, -5)), mark(new Line(0, 5, 0, 18)), dot());
        startMarker.setId("screenshot-drag-start");
        startMarker.setManaged(false);
        startMarker.setMouseTransparent(true);
        startMarker.getChildren().addAll(halo(new Circle(6)), mark(new Circle(6)));
        dragLine.setManaged(false);
        dragLine.setMouseTransparent(true);
        mark(dragLine);
        dragLine.getStrokeDashArray().setAll(6.0, 4.0);
        message.setId("screenshot-message");
        message.setWrapText(true);
        message.getStyleClass().add(Styles.TEXT_MUTED);
        getChildren().addAll(imageView, dragLine, startMarker, marker, message);
        showMessage("");
    }

    /** Puts {@code line} above the picture (the wait for it), in the space it asks for while any of it is shown. */
    public void setStatusLine(Node line) {
        if (status != null) {
            getChildren().remove(status);
        }
        status = line;
        getChildren().add(line);
        requestLayout();
    }

    /** Height of the status line and its gap for {@code width}; 0 while it shows nothing. */
    private double statusHeight(double width) {
        if (status == null) {
            return 0;
        }
        double h = status.prefHeight(width);
        return h > 0 ? h + STATUS_GAP : 0;
    }

    /** Shows {@code image}, the screen after {@code action}, marked where the action pointed (when inside it). */
    public void show(Image image, ComputerAction action) {
        Optional<ComputerAction.Point> at = action.coordinate();
        setAccessibleText("Screenshot " + action.screenshot().orElse("") + " after " + action.stepCaption()
                + (marker(image, at) ? ", marked" : ""));
        imageView.setImage(image);
        imageView.setVisible(true);
        mark = at;
        start = action.startCoordinate();
        marker.setVisible(marker(image, at));
        startMarker.setVisible(marker.isVisible() && marker(image, start));
        dragLine.setVisible(startMarker.isVisible());
        message.setVisible(false);
        requestLayout();
    }

    /** Shows {@code text} instead of an image (loading, missing, refused). */
    public void showMessage(String text) {
        setAccessibleText(text);
        imageView.setImage(null);
        imageView.setVisible(false);
        marker.setVisible(false);
        startMarker.setVisible(false);
        dragLine.setVisible(false);
        message.setText(text);
        message.setVisible(true);
        requestLayout();
    }

    public Optional<Image> image() {
        return Optional.ofNullable(imageView.getImage());
    }

    public boolean marked() {
        return marker.isVisible();
    }

    public String message() {
        return message.isVisible() ? message.getText() : "";
    }

    private static boolean marker(Image image, Optional<ComputerAction.Point> at) {
        return at.filter(p -> p.x() >= 0 && p.y() >= 0 && p.x() <= image.getWidth() && p.y() <= image.getHeight()).isPresent();
    }

    @Override
    public Orientation getContentBias() {
        return fit ? Orientation.HORIZONTAL : null;
    }

    @Override
    protected double computePrefWidth(double height) {
        Image image = imageView.getImage();
        if (image == null) {
            return fit ? FIT_PREF_WIDTH : message.prefWidth(-1) + snappedLeftInset() + snappedRightInset();
        }
        return fit ? FIT_PREF_WIDTH : image.getWidth() + snappedLeftInset() + snappedRightInset();
    }

    @Override
    protected double computePrefHeight(double width) {
        Image image = imageView.getImage();
        double inner = (width > 0 ? width : FIT_PREF_WIDTH) - snappedLeftInset() - snappedRightInset();
        double insets = snappedTopInset() + snappedBottomInset() + statusHeight(inner);
        if (image == null || image.getWidth() <= 0) {
            double w = width > 0 ? width - snappedLeftInset() - snappedRightInset() : FIT_PREF_WIDTH;
            return Math.max(48, message.prefHeight(w)) + insets;
        }
        if (!fit) {
            return image.getHeight() + insets;
        }
        double w = (width > 0 ? width : FIT_PREF_WIDTH) - snappedLeftInset() - snappedRightInset();
        return Math.min(image.getHeight(), w * image.getHeight() / image.getWidth()) + insets;
    }

    @Override
    protected double computeMinWidth(double height) {
        return fit ? 60 : computePrefWidth(height);
    }

    @Override
    protected double computeMinHeight(double width) {
        return fit ? 48 : computePrefHeight(width);
    }

    @Override
    protected void layoutChildren() {
        double left = snappedLeftInset();
        double top = snappedTopInset();
        double w = getWidth() - left - snappedRightInset();
        double statusH = statusHeight(w);
        if (status != null) {
            status.resizeRelocate(left, top, w, Math.max(0, statusH - STATUS_GAP));
        }
        top += statusH;
        double h = getHeight() - top - snappedBottomInset();
        message.resizeRelocate(left, top, w, Math.max(0, h));
        Image image = imageView.getImage();
        if (image == null || image.getWidth() <= 0 || image.getHeight() <= 0) {
            return;
        }
        double scale = fit ? Math.min(1, Math.min(w / image.getWidth(), h / image.getHeight())) : 1;
        scale = Math.max(scale, 0.01);
        double dw = image.getWidth() * scale;
        double dh = image.getHeight() * scale;
        double x0 = left + (fit ? Math.max(0, (w - dw) / 2) : 0);
        double y0 = top; // at the top, under its caption, however tall the space is
        imageView.setFitWidth(dw);
        imageView.setFitHeight(dh);
        imageView.relocate(x0, y0);
        double s = scale;
        mark.ifPresent(p -> {
            marker.setLayoutX(x0 + p.x() * s);
            marker.setLayoutY(y0 + p.y() * s);
        });
        start.ifPresent(p -> {
            startMarker.setLayoutX(x0 + p.x() * s);
            startMarker.setLayoutY(y0 + p.y() * s);
            dragLine.setStartX(startMarker.getLayoutX());
            dragLine.setStartY(startMarker.getLayoutY());
            dragLine.setEndX(marker.getLayoutX());
            dragLine.setEndY(marker.getLayoutY());
        });
    }

    // a red mark on a white halo: visible on dark and light screens alike
    private static Shape halo(Shape s) {
        s.setFill(Color.TRANSPARENT);
        s.setStroke(Color.rgb(255, 255, 255, 0.85));
        s.setStrokeWidth(4.5);
        return s;
    }

    private static Shape mark(Shape s) {
        s.setFill(Color.TRANSPARENT);
        s.setStroke(Color.web("#e5383b"));
        s.setStrokeWidth(2);
        return s;
    }

    private static Shape dot() {
        Circle c = new Circle(2.2, Color.web("#e5383b"));
        c.setStroke(Color.WHITE);
        c.setStrokeWidth(1);
        return c;
    }
}
