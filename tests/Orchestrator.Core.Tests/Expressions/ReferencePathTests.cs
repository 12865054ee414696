using Orchestrator.Core.Expressions;

namespace Orchestrator.Core.Tests.Expressions;

public sealed class ReferencePathTests
{
    [Fact]
    public void Parse_RootOnly_HasNoSegments()
    {
        var path = ReferencePath.Parse("current");

        Assert.Equal("current", path.Root);
        Assert.True(path.Segments.IsEmpty);
    }

    [Fact]
    public void Parse_PropertiesIndexesAndWildcard_ReturnsSegmentsInOrder()
    {
        var path = ReferencePath.Parse("step1.data.items[0].tags[*].name");

        Assert.Equal("step1", path.Root);
        Assert.Equal(
            [
                PathSegment.Property("data"),
                PathSegment.Property("items"),
                PathSegment.At(0),
                PathSegment.Property("tags"),
                PathSegment.Wildcard,
                PathSegment.Property("name"),
            ],
            path.Segments);
    }

    [Theory]
    [InlineData("step1.data['my key']", "my key")]
    [InlineData("step1.data[\"my key\"]", "my key")]
    [InlineData("step1.data['a.b']", "a.b")]
    [InlineData("step1.data['x]y']", "x]y")]
    public void Parse_QuotedKey_ReturnsPropertySegmentWithRawName(string text, string name)
    {
        var path = ReferencePath.Parse(text);

        Assert.Equal([PathSegment.Property("data"), PathSegment.Property(name)], path.Segments);
    }

    [Fact]
    public void Parse_MultiDigitIndex_ReturnsIndex()
    {
        var path = ReferencePath.Parse("a[123]");

        var segment = Assert.Single(path.Segments);
        Assert.Equal(PathSegmentKind.Index, segment.Kind);
        Assert.Equal(123, segment.Index);
    }

    [Theory]
    [InlineData("{{step1.data.x}}")]
    [InlineData("  {{ step1.data.x }}  ")]
    [InlineData("step1.data.x")]
    [InlineData("  step1.data.x ")]
    public void Parse_BareOrBraced_ReturnsSamePath(string text)
    {
        Assert.Equal(new ReferencePath("step1", [PathSegment.Property("data"), PathSegment.Property("x")]), ReferencePath.Parse(text));
    }

    [Theory]
    [InlineData("my-step_2.data.$value")]
    [InlineData("input.user-name")]
    public void Parse_NamesWithDashUnderscoreDollar_AreAccepted(string text)
    {
        Assert.Equal(text, ReferencePath.Parse(text).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{{}}")]
    [InlineData("a..b")]
    [InlineData("a[x]")]
    [InlineData("a[-1]")]
    [InlineData("a[99999999999]")]
    [InlineData("a[]")]
    [InlineData("a[*")]
    [InlineData("a.b c")]
    [InlineData("{{a}} {{b}}")]
    [InlineData("{{a}")]
    [InlineData("a]")]
    public void Parse_Malformed_ThrowsTemplateSyntaxExceptionWithPosition(string text)
    {
        var ex = Assert.Throws<TemplateSyntaxException>(() => ReferencePath.Parse(text));

        Assert.True(ex.Position >= 0, $"Position was {ex.Position}");
    }

    [Fact]
    public void Parse_Null_ThrowsArgumentNullException()
    {
        Assert.Throws<ArgumentNullException>(() => ReferencePath.Parse(null!));
    }

    [Fact]
    public void Parse_LongerThanLimit_Throws()
    {
        var text = new string('a', TemplateParser.MaxReferenceLength + 1);

        var ex = Assert.Throws<TemplateSyntaxException>(() => ReferencePath.Parse(text));

        Assert.Equal(0, ex.Position);
    }

    [Theory]
    [InlineData("step1.data.items[0].tags[*].name")]
    [InlineData("input")]
    [InlineData("a[10][2]")]
    public void ToString_ParsedPath_WritesCanonicalText(string text)
    {
        Assert.Equal(text, ReferencePath.Parse(text).ToString());
    }

    [Theory]
    [InlineData("step1.data['my key']")]
    [InlineData("step1.data['a.b'].c")]
    [InlineData("step1.data['x]y']")]
    [InlineData("step1.data[\"it's\"]")]
    public void ToString_QuotedKey_ParsesBackToEqualPath(string text)
    {
        var path = ReferencePath.Parse(text);

        Assert.Equal(path, ReferencePath.Parse(path.ToString()));
    }

    [Fact]
    public void Equals_SamePathParsedTwice_IsEqualWithSameHash()
    {
        var left = ReferencePath.Parse("step1.data.items[0]");
        var right = ReferencePath.Parse("{{ step1.data.items[0] }}");

        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.NotEqual(left, ReferencePath.Parse("step1.data.items[1]"));
    }

    [Fact]
    public void Constructor_BlankRoot_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ReferencePath(" "));
    }
}
