using System.Text.Json;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Tests.Serialization;

/// <summary>
/// <see cref="JsonDepth.FindTooDeep"/>: the allocation-free first read must agree with the path-building second read on
/// where the limit lies (a container at level max is accepted, one at max + 1 is refused), and the path names it.
/// </summary>
public class JsonDepthTests
{
    private static string? FindTooDeep(string json, int max)
    {
        using var document = JsonDocument.Parse(json);
        return JsonDepth.FindTooDeep(document.RootElement, max);
    }

    [Theory]
    [InlineData("[[[1]]]")]
    [InlineData("""{ "a": { "b": [ "deep scalars do not count" ] } }""")]
    [InlineData("""{ "a": 1, "b": [ 2, { "c": 3 } ] }""")]
    public void FindTooDeep_ContainersExactlyAtTheLimit_ReturnsNull(string json)
    {
        Assert.Null(FindTooDeep(json, 3));
    }

    [Theory]
    [InlineData("[[[[1]]]]", "[0][0][0]")]
    [InlineData("""{ "a": { "b": [ { "c": 1 } ] } }""", ".a.b[0]")]
    [InlineData("""{ "x": [1, 2], "y": [ [], [ [ ] ] ] }""", ".y[1][0]")]
    [InlineData("""{ "x": { "k": [ 1 ] }, "y": [ 1, [ 2, 3, { "z": {} } ] ] }""", ".y[1][2]")]
    public void FindTooDeep_AContainerOneLevelPastTheLimit_ReturnsThePathOfTheFirstSuch(string json, string expected)
    {
        Assert.Equal(expected, FindTooDeep(json, 3));
    }

    [Fact]
    public void FindTooDeep_AScalar_ReturnsNull()
    {
        Assert.Null(FindTooDeep("42", 0));
    }
}
