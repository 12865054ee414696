using System.Diagnostics;
using System.Text.Json;
using Orchestrator.Core.Execution.Operations;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Tests.Execution.Operations;

public class ConditionEvaluatorTests
{
    private static readonly TestScope Scope = new TestScope("""{"level": 3, "name": "Report-2024", "tags": ["a", "b", 7], "user": {"id": 1}, "empty": "", "nothing": null, "text": "3"}""")
        .WithStep("step1", """{"count": 5, "decision": "urgent", "items": []}""");

    private static bool Eval(string conditionJson) => ConditionEvaluator.Evaluate(Condition.Parse(TestJson.Parse(conditionJson)), Scope);

    private static bool Op(string field, string op, string valueJson) =>
        Eval($$"""{"field": "{{field}}", "operator": "{{op}}", "value": {{valueJson}} }""");

    [Theory]
    [InlineData("step1.data.count", "==", "5", true)]
    [InlineData("step1.data.count", "equals", "\"5\"", true)]
    [InlineData("step1.data.count", "!=", "5", false)]
    [InlineData("step1.data.count", "not_equals", "4", true)]
    [InlineData("step1.data.count", ">", "4", true)]
    [InlineData("step1.data.count", "greater_than", "5", false)]
    [InlineData("step1.data.count", ">=", "5", true)]
    [InlineData("step1.data.count", "greater_than_or_equal", "6", false)]
    [InlineData("step1.data.count", "<", "6", true)]
    [InlineData("step1.data.count", "less_than", "5", false)]
    [InlineData("step1.data.count", "<=", "5", true)]
    [InlineData("step1.data.count", "less_than_or_equal", "4", false)]
    [InlineData("input.text", ">", "2", true)]
    [InlineData("input.name", ">", "3", false)]
    [InlineData("input.name", "<", "3", false)]
    [InlineData("input.missing", ">", "0", false)]
    [InlineData("input.missing", "==", "null", true)]
    public void Evaluate_ComparisonOperators_FollowLooseEqualityAndOrdering(string field, string op, string value, bool expected) =>
        Assert.Equal(expected, Op(field, op, value));

    [Theory]
    [InlineData("input.name", "contains", "\"port\"", true)]
    [InlineData("input.name", "contains", "\"PORT\"", true)]
    [InlineData("input.name", "contains", "\"xyz\"", false)]
    [InlineData("input.name", "contains", "2024", true)]
    [InlineData("input.tags", "contains", "\"b\"", true)]
    [InlineData("input.tags", "contains", "\"7\"", true)]
    [InlineData("input.tags", "contains", "\"z\"", false)]
    [InlineData("input.user", "contains", "\"id\"", true)]
    [InlineData("input.user", "contains", "\"name\"", false)]
    [InlineData("input.level", "contains", "3", false)]
    [InlineData("input.missing", "contains", "\"a\"", false)]
    [InlineData("input.tags", "not_contains", "\"z\"", true)]
    [InlineData("input.name", "not_contains", "\"port\"", false)]
    [InlineData("input.missing", "not_contains", "\"a\"", true)]
    public void Evaluate_Contains_UsesSubstringElementOrKey(string field, string op, string value, bool expected) =>
        Assert.Equal(expected, Op(field, op, value));

    [Theory]
    [InlineData("input.level", "in", "[1, 2, 3]", true)]
    [InlineData("input.level", "in", "[\"3\"]", true)]
    [InlineData("input.level", "in", "[4]", false)]
    [InlineData("step1.data.decision", "in", "\"very urgent matter\"", true)]
    [InlineData("step1.data.decision", "in", "{\"a\": 1}", false)]
    [InlineData("step1.data.decision", "not_in", "[\"low\"]", true)]
    [InlineData("step1.data.decision", "not_in", "[\"urgent\"]", false)]
    [InlineData("input.missing", "in", "[1]", false)]
    [InlineData("input.level", "in", "5", false)]
    public void Evaluate_In_TestsMembershipOfRightList(string field, string op, string value, bool expected) =>
        Assert.Equal(expected, Op(field, op, value));

    [Theory]
    [InlineData("input.level", "exists", true)]
    [InlineData("input.empty", "exists", true)]
    [InlineData("input.nothing", "exists", false)]
    [InlineData("input.missing", "exists", false)]
    [InlineData("input.missing", "not_exists", true)]
    [InlineData("input.level", "not_exists", false)]
    [InlineData("input.empty", "is_empty", true)]
    [InlineData("step1.data.items", "is_empty", true)]
    [InlineData("input.missing", "is_empty", true)]
    [InlineData("input.user", "is_empty", false)]
    [InlineData("input.level", "is_empty", false)]
    [InlineData("input.tags", "is_not_empty", true)]
    [InlineData("input.nothing", "is_not_empty", false)]
    public void Evaluate_PresenceOperators_TreatMissingAndNullAlike(string field, string op, bool expected) =>
        Assert.Equal(expected, Eval($$"""{"field": "{{field}}", "operator": "{{op}}"}"""));

    [Theory]
    [InlineData("input.name", "matches", "\"^Report-\\\\d{4}$\"", true)]
    [InlineData("input.name", "matches", "\"^report\"", false)]
    [InlineData("input.name", "matches", "\"(?i)^report\"", true)]
    [InlineData("input.level", "matches", "\"^\\\\d$\"", true)]
    [InlineData("input.user", "matches", "\".*\"", false)]
    [InlineData("input.missing", "matches", "\".*\"", false)]
    [InlineData("input.name", "matches", "42", false)]
    [InlineData("input.name", "starts_with", "\"Report\"", true)]
    [InlineData("input.name", "starts_with", "\"report\"", false)]
    [InlineData("input.name", "ends_with", "\"2024\"", true)]
    [InlineData("input.name", "ends_with", "2024", true)]
    [InlineData("input.tags", "ends_with", "\"b\"", false)]
    [InlineData("input.missing", "starts_with", "\"\"", false)]
    public void Evaluate_TextOperators_AreOrdinal(string field, string op, string value, bool expected) =>
        Assert.Equal(expected, Op(field, op, value));

    [Theory]
    [InlineData("(")]
    [InlineData("[a-")]
    [InlineData("(a)\\\\1")]
    [InlineData("(?<=a)b")]
    public void Evaluate_InvalidOrUnsupportedPattern_IsFalseWithoutThrowing(string pattern) =>
        Assert.False(Op("input.name", "matches", "\"" + pattern + "\""));

    [Fact]
    public void Evaluate_HostileRegexOnLongString_FinishesPromptly()
    {
        var scope = new TestScope(JsonSerializer.Serialize(new Dictionary<string, string> { ["s"] = new string('a', 50_000) + "!" }));
        var condition = Condition.Parse(TestJson.Parse("""{"field": "input.s", "operator": "matches", "value": "(a+)+$"}"""));
        var watch = Stopwatch.StartNew();

        var result = ConditionEvaluator.Evaluate(condition, scope);

        Assert.False(result); // '$' needs the end, and the string ends with '!': the classic catastrophic case for backtracking.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Evaluate_HostileRegexThatMatches_IsTruePromptly()
    {
        var scope = new TestScope(JsonSerializer.Serialize(new Dictionary<string, string> { ["s"] = new string('a', 50_000) }));
        var condition = Condition.Parse(TestJson.Parse("""{"field": "input.s", "operator": "matches", "value": "^(a+)+$"}"""));
        var watch = Stopwatch.StartNew();

        Assert.True(ConditionEvaluator.Evaluate(condition, scope));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Evaluate_PatternFromData_MatchesWithoutCaching()
    {
        var scope = new TestScope("""{"p": "^ab+$", "s": "abbb"}""");
        var condition = Condition.Parse(TestJson.Parse("""{"field": "input.s", "operator": "matches", "value": "{{input.p}}"}"""));

        Assert.True(ConditionEvaluator.Evaluate(condition, scope));
    }

    [Theory]
    [InlineData("""{"and": [{"field": "input.level", "operator": ">", "value": 2}, {"field": "step1.data.decision", "operator": "==", "value": "urgent"}]}""", true)]
    [InlineData("""{"and": [{"field": "input.level", "operator": ">", "value": 5}, {"field": "step1.data.decision", "operator": "==", "value": "urgent"}]}""", false)]
    [InlineData("""{"or": [{"field": "input.level", "operator": ">", "value": 5}, {"field": "step1.data.decision", "operator": "==", "value": "urgent"}]}""", true)]
    [InlineData("""{"or": []}""", false)]
    [InlineData("""{"and": []}""", true)]
    [InlineData("""{"not": {"field": "input.level", "operator": "==", "value": 3}}""", false)]
    [InlineData("\"step1.data.decision == 'urgent' && {{input.level}} > 2\"", true)]
    [InlineData("\"step1.data.decision == 'low' || !(input.level < 3)\"", true)]
    [InlineData("\"{{input.empty}}\"", false)]
    [InlineData("\"{{input.level}}\"", true)]
    [InlineData("\"{{input.missing}}\"", false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Evaluate_CombinatorsExpressionsAndTruthiness_Evaluate(string json, bool expected) =>
        Assert.Equal(expected, Eval(json));

    [Fact]
    public void Evaluate_AndShortCircuits_SecondOperandNotRead()
    {
        var scope = new CountingScope();
        var condition = Condition.Parse(TestJson.Parse("""{"and": [false, {"field": "input.x", "operator": "exists"}]}"""));

        Assert.False(ConditionEvaluator.Evaluate(condition, scope));
        Assert.Equal(0, scope.Reads);
    }

    [Fact]
    public void Evaluate_OrShortCircuits_SecondOperandNotRead()
    {
        var scope = new CountingScope();
        var condition = Condition.Parse(TestJson.Parse("""{"or": [true, {"field": "input.x", "operator": "exists"}]}"""));

        Assert.True(ConditionEvaluator.Evaluate(condition, scope));
        Assert.Equal(0, scope.Reads);
    }

    private sealed class CountingScope : Core.Execution.Values.ValueScope
    {
        public int Reads { get; private set; }

        public override bool TryResolveRoot(string name, out JsonElement value, out Core.Execution.Values.IStepValue? step)
        {
            Reads++;
            value = TestJson.Parse("{}");
            step = null;
            return true;
        }
    }

    [Theory]
    [InlineData("input.name", "[\"x\", \"REPORT\"]", true)]
    [InlineData("input.name", "\"x, report\"", true)]
    [InlineData("input.name", "[]", false)]
    [InlineData("input.tags", "[\"B\"]", true)]
    [InlineData("input.tags", "[\"z\"]", false)]
    [InlineData("input.nothing", "[\"a\"]", false)]
    public void Evaluate_ContainsAny_MatchesAnyNeedleIgnoringCase(string field, string needles, bool expected) =>
        Assert.Equal(expected, Op(field, "contains_any", needles));

    [Theory]
    [InlineData("\"2026-01-01\"", "before", "\"2026-02-01\"", true)]
    [InlineData("\"2026-02-01T10:00:00Z\"", "after", "\"2026-02-01\"", true)]
    [InlineData("null", "before", "\"2026-02-01\"", false)]
    [InlineData("\"not a date\"", "after", "\"2026-02-01\"", false)]
    public void Apply_BeforeAfter_CompareDatesAndAreFalseForNonDates(string left, string op, string right, bool expected)
    {
        Assert.True(ConditionOperatorNamesProbe(op, out var parsed));
        Assert.Equal(expected, ConditionEvaluator.Apply(parsed, TestJson.Parse(left), TestJson.Parse(right)));
    }

    [Theory]
    [InlineData("\"2026-05-18T00:00:00Z\"", true)]
    [InlineData("\"2026-05-01T00:00:00Z\"", false)]
    [InlineData("\"2026-05-21T00:00:00Z\"", false)]
    [InlineData("\"not a date\"", false)]
    [InlineData("null", false)]
    public void Apply_WithinLastDays_IsTrueOnlyBetweenNowMinusDaysAndNow(string left, bool expected)
    {
        var now = new DateTimeOffset(2026, 5, 20, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(expected, ConditionEvaluator.Apply(ConditionOperator.WithinLastDays, TestJson.Parse(left), TestJson.Parse("7"), now: now));
    }

    private static bool ConditionOperatorNamesProbe(string name, out ConditionOperator op)
    {
        var condition = (ComparisonCondition)Condition.Parse(TestJson.Parse($$"""{"field": "input.x", "operator": "{{name}}", "value": 1}"""));
        op = condition.Operator;
        return true;
    }
}
