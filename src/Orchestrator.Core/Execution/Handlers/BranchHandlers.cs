using Orchestrator.Core.Execution.Operations;
using Orchestrator.Core.Execution.Values;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Execution.Handlers;

/// <summary><c>conditional</c> and <c>switch</c>: evaluate, and record which branch targets run.</summary>
internal static class BranchHandlers
{
    public static StepOutcome Conditional(StepContext context)
    {
        var step = (ConditionalStep)context.Step;
        var result = ConditionEvaluator.Evaluate(step.Condition, context.Scope);
        context.Record.ChosenTargets = result ? step.TrueBranch : step.FalseBranch;
        context.Run.Counters.BranchTaken();
        return StepOutcome.Success(result ? s_true : s_false);
    }

    // The two possible data of a conditional, made once (elements are immutable and safe to share).
    private static readonly System.Text.Json.JsonElement s_true = JsonValues.Parse("""{"result":true}""");
    private static readonly System.Text.Json.JsonElement s_false = JsonValues.Parse("""{"result":false}""");

    public static StepOutcome Switch(StepContext context)
    {
        var step = (SwitchStep)context.Step;
        var value = TemplateEvaluator.Evaluate(step.Evaluate, context.Scope);
        var text = JsonValues.ToText(value);
        SwitchCase? matched = null;
        foreach (var @case in step.Cases)
        {
            // Cases are written as object keys (text); a number matches its text, so 0 matches "0" and 2.0 matches "2".
            if (string.Equals(@case.Value, text, StringComparison.Ordinal)
                || (JsonValues.TryGetNumber(value, out var number) && double.TryParse(@case.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var caseNumber) && number == caseNumber))
            {
                matched = @case;
                break;
            }
        }

        context.Record.ChosenTargets = matched?.Targets ?? step.Default;
        context.Run.Counters.BranchTaken();
        return StepOutcome.Success(JsonValues.Write(static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName("value");
            (state.value.ValueKind == System.Text.Json.JsonValueKind.Undefined ? JsonValues.Null : state.value).WriteTo(writer);
            if (state.matched is null)
            {
                writer.WriteNull("case");
            }
            else
            {
                writer.WriteString("case", state.matched.Value);
            }

            writer.WriteStartArray("targets");
            foreach (var target in state.targets)
            {
                writer.WriteStringValue(target);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }, (value, matched, targets: context.Record.ChosenTargets)));
    }
}
