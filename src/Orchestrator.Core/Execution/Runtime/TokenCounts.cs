using System.Globalization;

namespace Orchestrator.Core.Execution.Runtime;

/// <summary>
/// Checks the token counts an LLM client reports before they are priced and summed: they are data from outside. A
/// negative count becomes 0 and a count above <see cref="MaxPerCall"/> becomes <see cref="MaxPerCall"/>; either is
/// reported once per run as a warning. Sums are saturating (<see cref="UsageCounter"/>), so they cannot wrap around.
/// </summary>
internal static class TokenCounts
{
    /// <summary>The most tokens one call may report in each direction; far above any model's context window.</summary>
    public const int MaxPerCall = 100_000_000;

    /// <summary>The counts to use for one call, clamped into [0, <see cref="MaxPerCall"/>].</summary>
    public static (int Input, int Output) Validate(RunContext run, string source, int input, int output)
    {
        var validInput = Math.Clamp(input, 0, MaxPerCall);
        var validOutput = Math.Clamp(output, 0, MaxPerCall);
        if (validInput != input || validOutput != output)
        {
            run.WarnOnce(
                "tokens:" + source,
                string.Create(CultureInfo.InvariantCulture, $"The LLM client reported invalid token counts for '{source}' (input {input}, output {output}); they were counted as {validInput} and {validOutput} (each must be between 0 and {MaxPerCall})."));
        }

        return (validInput, validOutput);
    }
}
