using System.Reflection;
using Orchestrator.Core.Ports;

namespace Orchestrator.Core.Tests.Ports;

public class AuditEventKindTests
{
    public static TheoryData<string> WireNames() => [.. AuditEventKind.All.Select(k => k.Name)];

    [Fact]
    public void All_EveryKind_NameStartsWithOrchestratorPrefixAndIsUpperCase()
    {
        Assert.NotEmpty(AuditEventKind.All);
        Assert.All(AuditEventKind.All, kind =>
        {
            Assert.StartsWith("ORCHESTRATOR_", kind.Name, StringComparison.Ordinal);
            Assert.Equal(kind.Name.ToUpperInvariant(), kind.Name);
            Assert.Equal(kind.Name, kind.ToString());
        });
    }

    [Fact]
    public void All_Names_AreUnique()
    {
        var names = AuditEventKind.All.Select(k => k.Name).ToList();

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void All_ContainsEveryPublicStaticKind()
    {
        var declared = typeof(AuditEventKind).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(AuditEventKind))
            .Select(p => (AuditEventKind)p.GetValue(null)!)
            .ToList();

        Assert.Equal(declared.Count, AuditEventKind.All.Count);
        Assert.All(declared, kind => Assert.Contains(kind, AuditEventKind.All));
    }

    [Fact]
    public void Type_HasNoPublicConstructor_SoTheSetIsClosed()
    {
        Assert.Empty(typeof(AuditEventKind).GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        Assert.Empty(typeof(AuditSeverity).GetConstructors(BindingFlags.Public | BindingFlags.Instance));
        Assert.True(typeof(AuditEventKind).IsSealed);
        Assert.True(typeof(AuditSeverity).IsSealed);
    }

    [Fact]
    public void All_IsNotAMutableListAHostCouldAddTo()
    {
        Assert.False(AuditEventKind.All is IList<AuditEventKind> { IsReadOnly: false }, "AuditEventKind.All can be cast to a writable list and extended.");
    }

    [Theory]
    [MemberData(nameof(WireNames))]
    public void TryParse_EveryWireName_RoundTripsToTheSameInstance(string name)
    {
        Assert.True(AuditEventKind.TryParse(name, out var kind));
        Assert.Same(AuditEventKind.All.Single(k => k.Name == name), kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ORCHESTRATOR_")]
    [InlineData("ORCHESTRATOR_STEP_EXPLODED")]
    [InlineData("orchestrator_step_executed")]
    [InlineData("Orchestrator_Step_Executed")]
    [InlineData(" ORCHESTRATOR_STEP_EXECUTED")]
    [InlineData("STEP_EXECUTED")]
    public void TryParse_UnknownOrWrongCase_Rejected(string? name)
    {
        Assert.False(AuditEventKind.TryParse(name, out var kind));
        Assert.Null(kind);
    }

    [Theory]
    [InlineData("ORCHESTRATOR_EXECUTION_STARTED", "info")]
    [InlineData("ORCHESTRATOR_EXECUTION_COMPLETED", "info")]
    [InlineData("ORCHESTRATOR_EXECUTION_FAILED", "critical")]
    [InlineData("ORCHESTRATOR_EXECUTION_CANCELLED", "warning")]
    [InlineData("ORCHESTRATOR_EXECUTION_SUSPENDED", "info")]
    [InlineData("ORCHESTRATOR_EXECUTION_REJECTED", "warning")]
    [InlineData("ORCHESTRATOR_STEP_EXECUTED", "info")]
    [InlineData("ORCHESTRATOR_STEP_FAILED", "warning")]
    [InlineData("ORCHESTRATOR_STEP_SKIPPED", "info")]
    [InlineData("ORCHESTRATOR_STEP_RETRIED", "warning")]
    [InlineData("ORCHESTRATOR_MEMORY_FAILED", "warning")]
    [InlineData("ORCHESTRATOR_COST_LIMIT_REACHED", "critical")]
    public void DefaultSeverity_ShippedKinds_StableWireNameAndSeverity(string name, string severity)
    {
        Assert.True(AuditEventKind.TryParse(name, out var kind));
        Assert.Equal(severity, kind.DefaultSeverity.Name);
    }

    [Fact]
    public void AuditSeverity_All_IsExactlyInfoWarningCriticalInLevelOrder()
    {
        Assert.Equal(["info", "warning", "critical"], AuditSeverity.All.Select(s => s.Name));
        Assert.Equal([0, 1, 2], AuditSeverity.All.Select(s => s.Level));
        Assert.Same(AuditSeverity.Info, AuditSeverity.All[0]);
        Assert.Same(AuditSeverity.Warning, AuditSeverity.All[1]);
        Assert.Same(AuditSeverity.Critical, AuditSeverity.All[2]);
        Assert.All(AuditEventKind.All, k => Assert.Contains(k.DefaultSeverity, AuditSeverity.All));
    }

    [Theory]
    [InlineData("info")]
    [InlineData("warning")]
    [InlineData("critical")]
    public void AuditSeverity_TryParse_WireName_RoundTrips(string name)
    {
        Assert.True(AuditSeverity.TryParse(name, out var severity));
        Assert.Equal(name, severity.Name);
        Assert.Equal(name, severity.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("error")]
    [InlineData("debug")]
    [InlineData("fatal")]
    [InlineData("informational")]
    [InlineData("1")]
    public void AuditSeverity_TryParse_AnythingElse_Rejected(string? name)
    {
        Assert.False(AuditSeverity.TryParse(name, out var severity));
        Assert.Null(severity);
    }
}
