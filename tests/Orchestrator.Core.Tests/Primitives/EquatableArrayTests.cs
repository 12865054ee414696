namespace Orchestrator.Core.Tests.Primitives;

public sealed class EquatableArrayTests
{
    private sealed record Holder(string Name, EquatableArray<string> Items);

    [Fact]
    public void Equals_SameContents_AreEqualWithEqualHash()
    {
        EquatableArray<string> left = new[] { "a", "b", "c" };
        EquatableArray<string> right = new List<string> { "a", "b", "c" };

        Assert.True(left.Equals(right));
        Assert.True(left == right);
        Assert.False(left != right);
        Assert.True(left.Equals((object)right));
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
    }

    [Fact]
    public void Equals_DefaultAndEmpty_AreEqual()
    {
        EquatableArray<int> none = default;
        EquatableArray<int> empty = [];

        Assert.Equal(none, empty);
        Assert.Equal(none.GetHashCode(), empty.GetHashCode());
        Assert.True(none.IsEmpty);
        Assert.Empty(none);
        Assert.Equal("[]", none.ToString());
    }

    [Fact]
    public void Equals_DifferentOrder_AreNotEqual()
    {
        EquatableArray<int> left = [1, 2, 3];
        EquatableArray<int> right = [3, 2, 1];

        Assert.NotEqual(left, right);
        Assert.True(left != right);
    }

    [Fact]
    public void Equals_DifferentLength_AreNotEqual()
    {
        EquatableArray<int> left = [1, 2];
        EquatableArray<int> right = [1, 2, 3];

        Assert.NotEqual(left, right);
        Assert.NotEqual(right, left);
        Assert.NotEqual(default, right);
    }

    [Fact]
    public void CollectionExpression_Elements_KeepsOrderAndIndexes()
    {
        EquatableArray<string> items = ["x", "y"];

        Assert.Equal(2, items.Count);
        Assert.Equal("x", items[0]);
        Assert.Equal("y", items[1]);
        Assert.Equal(["x", "y"], items);
        Assert.Equal("[x, y]", items.ToString());
    }

    [Fact]
    public void Constructor_SourceChangedAfterward_DoesNotChange()
    {
        var source = new[] { 1, 2 };
        EquatableArray<int> items = source;

        source[0] = 9;

        Assert.Equal(1, items[0]);
    }

    [Fact]
    public void RecordEquals_HoldingEqualArrays_ComparesByValue()
    {
        var left = new Holder("h", ["a", "b"]);
        var right = new Holder("h", new EquatableArray<string>(new List<string> { "a", "b" }));

        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.NotEqual(left, right with { Items = ["b", "a"] });
    }

    [Fact]
    public void Equals_NonArrayObject_IsFalse()
    {
        EquatableArray<int> items = [1];

        Assert.False(items.Equals("1"));
        Assert.False(items.Equals((object?)null));
    }
}
