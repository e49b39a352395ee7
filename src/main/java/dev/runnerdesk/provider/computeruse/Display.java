package dev.runnerdesk.provider.computeruse;

/**
 * The sandbox's X display as the model sees it: its size in pixels and its number. The E2B desktop's
 * 1024×768 is XGA, one of the sizes Claude is trained on, so coordinates need no scaling.
 */
public record Display(int width, int height, int number) {
    public static final Display XGA = new Display(1024, 768, 0);

    public Display {
        if (width <= 0 || height <= 0 || number < 0) {
            throw new IllegalArgumentException("not a display: " + width + "x" + height + " :" + number);
        }
    }

    /** The {@code DISPLAY} value of X clients, e.g. {@code :0}. */
    public String name() {
        return ":" + number;
    }

    public boolean contains(int x, int y) {
        return x >= 0 && y >= 0 && x < width && y < height;
    }
}
