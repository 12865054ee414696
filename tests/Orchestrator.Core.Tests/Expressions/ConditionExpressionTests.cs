using System.Text.Json;
using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Tests.Expressions;

public sealed class ConditionExpressionTests
{
    private static ReferenceValue Ref(string path) => new(ReferencePath.Parse(path));

    private static Condition ParseInner(string expression) =>
        Assert.IsType<ExpressionCondition>(Condition.Parse(expression)).Parsed;

    [Fact]
    public void Parse_FormatExample_BuildsAndOfTwoComparisons()
    {
        var parsed = ParseInner("step3.data.decision == 'urgent' && {{input.level}} > 2");

        var all = Assert.IsType<AllCondition>(parsed);
        Assert.Equal(
            [
                new ComparisonCondition(Ref("step3.data.decision"), ConditionOperator.Equal, LiteralValue.FromString("urgent")),
                new ComparisonCondition(Ref("input.level"), ConditionOperator.GreaterThan, LiteralValue.FromJson("2")),
            ],
            all.Conditions);
    }

    [Fact]
    public void Parse_Expression_KeepsTextForSaving()
    {
        const string text = "  step3.data.decision == 'urgent'  ";

        var condition = Assert.IsType<ExpressionCondition>(Condition.Parse(text));

        Assert.Equal(text, condition.Text);
        Assert.Equal(text, condition.ToString());
        Assert.Equal(JsonSerializer.Serialize(text), TestJson.Write(condition.WriteTo));
    }

    [Theory]
    [InlineData("a == 1", nameof(ConditionOperator.Equal))]
    [InlineData("a === 1", nameof(ConditionOperator.Equal))]
    [InlineData("a != 1", nameof(ConditionOperator.NotEqual))]
    [InlineData("a !== 1", nameof(ConditionOperator.NotEqual))]
    [InlineData("a > 1", nameof(ConditionOperator.GreaterThan))]
    [InlineData("a >= 1", nameof(ConditionOperator.GreaterThanOrEqual))]
    [InlineData("a < 1", nameof(ConditionOperator.LessThan))]
    [InlineData("a <= 1", nameof(ConditionOperator.LessThanOrEqual))]
    [InlineData("a<=1", nameof(ConditionOperator.LessThanOrEqual))]
    [InlineData("a contains 1", nameof(ConditionOperator.Contains))]
    [InlineData("a not_contains 1", nameof(ConditionOperator.NotContains))]
    [InlineData("a starts_with 1", nameof(ConditionOperator.StartsWith))]
    [InlineData("a ends_with 1", nameof(ConditionOperator.EndsWith))]
    [InlineData("a matches 1", nameof(ConditionOperator.Matches))]
    [InlineData("a in 1", nameof(ConditionOperator.In))]
    [InlineData("a not_in 1", nameof(ConditionOperator.NotIn))]
    [InlineData("a equals 1", nameof(ConditionOperator.Equal))]
    [InlineData("a greater_than 1", nameof(ConditionOperator.GreaterThan))]
    public void Parse_Operator_BuildsComparison(string expression, string expectedName)
    {
        var comparison = Assert.IsType<ComparisonCondition>(ParseInner(expression));

        Assert.Equal(Ref("a"), comparison.Left);
        Assert.Equal(Enum.Parse<ConditionOperator>(expectedName), comparison.Operator);
        Assert.Equal(LiteralValue.FromJson("1"), comparison.Right);
    }

    [Theory]
    [InlineData("step1.data.items exists", nameof(ConditionOperator.Exists))]
    [InlineData("step1.data.items not_exists", nameof(ConditionOperator.NotExists))]
    [InlineData("step1.data.items is_empty", nameof(ConditionOperator.IsEmpty))]
    [InlineData("step1.data.items is_not_empty", nameof(ConditionOperator.IsNotEmpty))]
    public void Parse_UnaryWordOperator_NeedsNoValue(string expression, string expectedName)
    {
        var comparison = Assert.IsType<ComparisonCondition>(ParseInner(expression));

        Assert.Equal(Enum.Parse<ConditionOperator>(expectedName), comparison.Operator);
        Assert.Null(comparison.Right);
    }

    [Fact]
    public void Parse_WordOperatorWithQuotedString_BuildsContains()
    {
        var comparison = Assert.IsType<ComparisonCondition>(ParseInner("a contains 'x'"));

        Assert.Equal(new ComparisonCondition(Ref("a"), ConditionOperator.Contains, LiteralValue.FromString("x")), comparison);
    }

    [Fact]
    public void Parse_OrBindsLooserThanAnd()
    {
        var any = Assert.IsType<AnyCondition>(ParseInner("a || b && c"));

        Assert.Equal(new TruthyCondition(Ref("a")), any.Conditions[0]);
        var all = Assert.IsType<AllCondition>(any.Conditions[1]);
        Assert.Equal([new TruthyCondition(Ref("b")), new TruthyCondition(Ref("c"))], all.Conditions);
    }

    [Fact]
    public void Parse_Parentheses_OverridePrecedence()
    {
        var all = Assert.IsType<AllCondition>(ParseInner("(a || b) && c"));

        var any = Assert.IsType<AnyCondition>(all.Conditions[0]);
        Assert.Equal([new TruthyCondition(Ref("a")), new TruthyCondition(Ref("b"))], any.Conditions);
        Assert.Equal(new TruthyCondition(Ref("c")), all.Conditions[1]);
    }

    [Fact]
    public void Parse_ChainedOr_IsOneFlatAny()
    {
        var any = Assert.IsType<AnyCondition>(ParseInner("a || b || c"));

        Assert.Equal(3, any.Conditions.Count);
    }

    [Fact]
    public void Parse_Not_NegatesFollowingPrimary()
    {
        var all = Assert.IsType<AllCondition>(ParseInner("!a && !(b == 1)"));

        Assert.Equal(new NotCondition(new TruthyCondition(Ref("a"))), all.Conditions[0]);
        var not = Assert.IsType<NotCondition>(all.Conditions[1]);
        Assert.Equal(new ComparisonCondition(Ref("b"), ConditionOperator.Equal, LiteralValue.FromJson("1")), not.Inner);
    }

    [Fact]
    public void Parse_DoubleNot_NestsTwice()
    {
        Assert.Equal(new NotCondition(new NotCondition(new TruthyCondition(Ref("a")))), ParseInner("!!a"));
    }

    [Theory]
    [InlineData("a > 2", "2")]
    [InlineData("a > -2", "-2")]
    [InlineData("a > +2", "2")]
    [InlineData("a > 2.5", "2.5")]
    [InlineData("a > 1e3", "1e3")]
    [InlineData("a > 1.5E-3", "1.5E-3")]
    public void Parse_Number_IsNumberLiteral(string expression, string json)
    {
        var comparison = Assert.IsType<ComparisonCondition>(ParseInner(expression));

        var literal = Assert.IsType<LiteralValue>(comparison.Right);
        Assert.Equal(JsonValueKind.Number, literal.Value.ValueKind);
        Assert.Equal(LiteralValue.FromJson(json), literal);
    }

    [Theory]
    [InlineData("a > .5", 0.5)]
    [InlineData("a > 5.", 5.0)]
    [InlineData("a > 007", 7.0)]
    public void Parse_NumberNotWrittenAsJson_IsStillNumberLiteral(string expression, double expected)
    {
        var comparison = Assert.IsType<ComparisonCondition>(ParseInner(expression));

        var literal = Assert.IsType<LiteralValue>(comparison.Right);
        Assert.Equal(expected, literal.Value.GetDouble());
    }

    [Theory]
    [InlineData("a == 1.2.3")]
    [InlineData("a == 1e")]
    [InlineData("a == 1e999")]
    public void Parse_InvalidNumber_ThrowsTemplateSyntaxException(string expression)
    {
        Assert.Throws<TemplateSyntaxException>(() => Condition.Parse(expression));
    }

    [Theory]
    [InlineData("a == 'it\\'s'", "it's")]
    [InlineData("a == \"say \\\"hi\\\"\"", "say \"hi\"")]
    [InlineData("a == 'back\\\\slash'", "back\\slash")]
    [InlineData("a == \"x && y || (z)\"", "x && y || (z)")]
    [InlineData("a == ''", "")]
    public void Parse_QuotedStringWithEscapes_IsStringLiteral(string expression, string expected)
    {
        var comparison = Assert.IsType<ComparisonCondition>(ParseInner(expression));

        Assert.Equal(LiteralValue.FromString(expected), comparison.Right);
    }

    [Theory]
    [InlineData("a == true", "true")]
    [InlineData("a == false", "false")]
    [InlineData("a == null", "null")]
    [InlineData("a != undefined", "null")]
    public void Parse_Keyword_IsJsonLiteral(string expression, string json)
    {
        var comparison = Assert.IsType<ComparisonCondition>(ParseInner(expression));

        Assert.Equal(LiteralValue.FromJson(json), comparison.Right);
    }

    [Fact]
    public void Parse_BareAndBracedPaths_AreEqualReferences()
    {
        var bare = ParseInner("step1.data.items[0]['my key'] == step2.data.x");
        var braced = ParseInner("{{step1.data.items[0]['my key']}} == {{ step2.data.x }}");

        Assert.Equal(bare, braced);
        var comparison = Assert.IsType<ComparisonCondition>(bare);
        var left = Assert.IsType<ReferenceValue>(comparison.Left);
        Assert.Equal(PathSegment.Property("my key"), left.Path.Segments[^1]);
    }

    [Fact]
    public void Parse_LiteralOnLeft_IsAccepted()
    {
        var comparison = Assert.IsType<ComparisonCondition>(ParseInner("'urgent' == step3.data.decision"));

        Assert.Equal(LiteralValue.FromString("urgent"), comparison.Left);
        Assert.Equal(Ref("step3.data.decision"), comparison.Right);
    }

    [Fact]
    public void Parse_BareValue_IsTruthyCondition()
    {
        Assert.Equal(new TruthyCondition(Ref("step1.metadata.success")), ParseInner("{{step1.metadata.success}}"));
        Assert.Equal(new TruthyCondition(LiteralValue.FromJson("true")), ParseInner("true"));
    }

    [Fact]
    public void CollectReferences_Expression_FindsEveryReference()
    {
        var sink = new List<ReferencePath>();

        Condition.Parse("!(a.b > {{c[0]}}) || (d contains 'x' && e.f[*] is_empty) || 'k' == g").CollectReferences(sink);

        Assert.Equal(["a.b", "c[0]", "d", "e.f[*]", "g"], sink.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("(a")]
    [InlineData("a)")]
    [InlineData("((a == 1)")]
    [InlineData("a == 1)")]
    [InlineData("a ==")]
    [InlineData("a == 1 b")]
    [InlineData("a &&")]
    [InlineData("&& a")]
    [InlineData("a || || b")]
    [InlineData("a and b")]
    [InlineData("a = 1")]
    [InlineData("a == 'open")]
    [InlineData("{{a == 1")]
    [InlineData("{{a..b}} == 1")]
    [InlineData("a == 1; drop table")]
    [InlineData("a == [1, 2]")]
    [InlineData("()")]
    [InlineData("!")]
    public void Parse_Malformed_ThrowsTemplateSyntaxExceptionWithPosition(string expression)
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => Condition.Parse(expression));

        Assert.InRange(ex.Position, 0, Math.Max(0, expression.Length));
    }

    [Fact]
    public void Parse_TrailingGarbage_NamesTheUnexpectedCharacter()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => Condition.Parse("a == 1 )"));

        Assert.Equal(7, ex.Position);
        Assert.Contains("')'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TenThousandOpeningParentheses_ThrowsInsteadOfOverflowingTheStack()
    {
        var expression = new string('(', 10_000) + "a";

        var ex = Assert.Throws<TemplateSyntaxException>(() => Condition.Parse(expression));

        Assert.Contains(ConditionParser.MaxDepth.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TenThousandNots_ThrowsInsteadOfOverflowingTheStack()
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => Condition.Parse(new string('!', 10_000) + "a"));

        Assert.Contains("deeper", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NestingAtMaxDepth_IsAccepted()
    {
        var depth = ConditionParser.MaxDepth;
        var expression = new string('(', depth) + "a" + new string(')', depth);

        Assert.Equal(new TruthyCondition(Ref("a")), ParseInner(expression));
    }

    [Fact]
    public void Parse_LongerThanMaxLength_Throws()
    {
        var expression = string.Join(" || ", Enumerable.Repeat("a == 1", (ConditionParser.MaxExpressionLength / 10) + 1));

        var ex = Assert.Throws<TemplateSyntaxException>(() => Condition.Parse(expression));

        Assert.Contains("longer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_LongFlatExpressionUnderLimit_IsAccepted()
    {
        var expression = string.Join(" && ", Enumerable.Repeat("a == 1", 1000));

        var all = Assert.IsType<AllCondition>(ParseInner(expression));

        Assert.Equal(1000, all.Conditions.Count);
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => Condition.Parse((string)null!));
    }

    [Fact]
    public void Parse_JsonString_IsExpressionCondition()
    {
        var condition = Condition.Parse(TestJson.Parse("\"{{count.data.n}} > 3\""));

        Assert.Equal(Condition.Parse("{{count.data.n}} > 3"), condition);
    }

    [Fact]
    public void Equals_DifferentTextSameMeaning_AreNotEqual()
    {
        // An expression keeps its text, which is part of its identity: saving writes it back as written.
        Assert.NotEqual(Condition.Parse("a == 1"), Condition.Parse("a==1"));
        Assert.Equal(ParseInner("a == 1"), ParseInner("a==1"));
    }
}
