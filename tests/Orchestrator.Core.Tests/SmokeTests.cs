namespace Orchestrator.Core.Tests;

public class SmokeTests
{
    [Fact]
    public void Placeholder_Type_Exists() => Assert.NotNull(typeof(Placeholder));
}
