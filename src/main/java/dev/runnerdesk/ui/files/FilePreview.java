package dev.runnerdesk.ui.files;

import atlantafx.base.theme.Styles;
import dev.runnerdesk.ui.common.WaitIndicator;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The Files tab's preview pane: the start of a text file (up to {@link #TEXT_BYTES}, monospace), an image (PNG, JPEG,
 * GIF up to {@link #IMAGE_BYTES}), or a line saying why there is nothing to show. The bytes are read by the controller
 * off the FX thread; this only shows them.
 */
final class FilePreview {
    /** The most of a text file read for its preview. */
    static final int TEXT_BYTES = 1024 * 1024;
    /** The largest image previewed (it is read whole). */
    static final long IMAGE_BYTES = 16L * 1024 * 1024;
    private static final Set<String> IMAGES = Set.of("png", "jpg", "jpeg", "gif");
    private final VBox root = new VBox(4);
    final Label title = new Label("Preview");
    final Label message = new Label("Select a file to see its start here");
    final TextArea text = new TextArea();
    final ImageView image = new ImageView();
    final WaitIndicator wait = new WaitIndicator("files-preview-wait", false);
    private final ScrollPane imageScroll = new ScrollPane(image);

    FilePreview() {
        root.setId("files-preview");
        root.setPadding(new Insets(0, 0, 0, 6));
        root.setMinWidth(120);
        root.setMinHeight(80);
        title.setId("files-preview-title");
        title.getStyleClass().add(Styles.TEXT_BOLD);
        message.setId("files-preview-message");
        message.getStyleClass().add(Styles.TEXT_MUTED);
        message.setWrapText(true);
        text.setId("files-preview-text");
        text.setEditable(false);
        text.setWrapText(false);
        text.getStyleClass().add("files-preview-text");
        text.setStyle("-fx-font-family: 'monospace'; -fx-font-size: 12px;");
        image.setId("files-preview-image");
        image.setPreserveRatio(true);
        imageScroll.setFitToWidth(true);
        imageScroll.setFitToHeight(true);
        // an image fits the pane's width, never more than its own size
        image.fitWidthProperty().bind(imageScroll.widthProperty().subtract(16));
        StackPane body = new StackPane(message, text, imageScroll);
        StackPane.setAlignment(message, Pos.TOP_LEFT);
        VBox.setVgrow(body, Priority.ALWAYS);
        root.getChildren().addAll(title, wait.view(), body);
        showMessage("Preview", "Select a file to see its start here");
    }

    Node view() {
        return root;
    }

    void showMessage(String heading, String why) {
        title.setText(heading);
        message.setText(why);
        show(message);
        text.clear();
        image.setImage(null);
    }

    void showText(String name, String content, boolean cut) {
        title.setText(name + (cut ? " — first " + FilesModel.size(TEXT_BYTES) : ""));
        text.setText(content);
        text.positionCaret(0);
        text.setScrollTop(0);
        show(text);
    }

    void showImage(String name, Image picture) {
        title.setText(name + " — " + (int) picture.getWidth() + " × " + (int) picture.getHeight());
        image.setImage(picture);
        image.fitWidthProperty().unbind();
        image.fitWidthProperty().bind(javafx.beans.binding.Bindings.min(picture.getWidth(),
                imageScroll.widthProperty().subtract(16)));
        show(imageScroll);
    }

    private void show(Node which) {
        for (Node n : new Node[] {message, text, imageScroll}) {
            n.setVisible(n == which);
        }
    }

    /** Whether a file of this name is previewed as an image. */
    static boolean isImage(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGES.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * The text of the first bytes of a file, or null when they are not text (a NUL byte, or not UTF-8 beyond a
     * character cut at the end).
     */
    static String text(byte[] bytes, int length) {
        for (int i = 0; i < Math.min(length, 8192); i++) {
            if (bytes[i] == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, 0, trimmed(bytes, length)))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** {@code length} less a UTF-8 sequence cut at the end of the bytes read. */
    private static int trimmed(byte[] bytes, int length) {
        int back = 0;
        for (int i = length - 1; i >= 0 && back < 4; i--, back++) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                return length;
            }
            if (b >= 0xc0) { // a lead byte: is its sequence whole?
                int need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
                return back + 1 >= need ? length : i;
            }
        }
        return length;
    }
}
