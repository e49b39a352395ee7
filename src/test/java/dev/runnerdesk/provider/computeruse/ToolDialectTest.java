package dev.runnerdesk.provider.computeruse;

import dev.runnerdesk.wire.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which computer tool version each model takes, and how each version is declared. */
class ToolDialectTest {
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "claude-sonnet-4-5-20250929, computer_20250124",
            "claude-sonnet-4-20250514, computer_20250124",
            "claude-opus-4-1-20250805, computer_20250124",
            "claude-haiku-4-5-20251001, computer_20250124",
            "claude-3-7-sonnet-20250219, computer_20250124",
            "claude-sonnet-4-6, computer_20251124",
            "claude-opus-4-5-20251101, computer_20251124",
            "claude-opus-4-7, computer_20251124",
            "claude-opus-5-5, computer_toolset_20260801",
            "claude-sonnet-5-5-20260901, computer_toolset_20260801",
    })
    void eachModelTakesItsToolVersion(String model, String toolType) {
        assertEquals(Optional.of(toolType), ToolDialect.forModel(model).map(ToolDialect::toolType));
    }

    @Test
    void aModelTheTableDoesNotKnowGetsTheNewestBetaToolUnlessSettingsNameOne() {
        assertEquals(Optional.empty(), ToolDialect.forModel("gpt-5"));
        assertEquals(ToolDialect.COMPUTER_20251124, ComputerUseSettings.forModel("claude-next").dialect());
        assertEquals(ToolDialect.COMPUTER_20250124, ComputerUseSettings.fromEnvironment(Map.of(
                "RUNNERDESK_COMPUTER_USE_MODEL", "claude-next", "RUNNERDESK_COMPUTER_USE_TOOL", "computer_20250124")).dialect());
    }

    @Test
    void eachVersionHasItsBetaHeader() {
        assertEquals(Optional.of("computer-use-2025-01-24"), ToolDialect.COMPUTER_20250124.betaHeader());
        assertEquals(Optional.of("computer-use-2025-11-24"), ToolDialect.COMPUTER_20251124.betaHeader());
        assertEquals(Optional.empty(), ToolDialect.COMPUTER_TOOLSET_20260801.betaHeader());
    }

    @Test
    void theBetaToolIsOneNamedToolWithTheDisplayAndTheToolsetHasNone() {
        assertEquals("{\"type\":\"computer_20251124\",\"name\":\"computer\",\"display_width_px\":1024,"
                + "\"display_height_px\":768,\"display_number\":0}",
                Json.write(ToolDialect.COMPUTER_20251124.toolDefinition(Display.XGA)));
        assertEquals("{\"type\":\"computer_toolset_20260801\"}",
                Json.write(ToolDialect.COMPUTER_TOOLSET_20260801.toolDefinition(Display.XGA)));
    }
}
