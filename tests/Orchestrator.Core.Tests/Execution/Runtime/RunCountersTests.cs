using Orchestrator.Core.Execution.Runtime;

namespace Orchestrator.Core.Tests.Execution.Runtime;

public class RunCountersTests
{
    [Fact]
    public void PluginsUsed_NoneCalled_Empty()
    {
        Assert.Empty(new RunCounters().PluginsUsed);
    }

    [Fact]
    public void PluginsUsed_OnePluginCalledManyTimes_ListedOnceAndEveryCallCounted()
    {
        var counters = new RunCounters();
        for (var i = 0; i < 5; i++)
        {
            counters.ToolCalled("crm");
        }

        Assert.Equal(["crm"], counters.PluginsUsed);
        Assert.Equal(5, counters.ToolCalls);
    }

    [Fact]
    public void PluginsUsed_SeveralPluginsInAnyOrder_EachOnceSortedOrdinally()
    {
        var counters = new RunCounters();
        foreach (var plugin in new[] { "mail", "crm", "mail", "Billing", "crm", "billing", new string("mail".ToCharArray()) })
        {
            counters.ToolCalled(plugin);
        }

        Assert.Equal(["Billing", "billing", "crm", "mail"], counters.PluginsUsed);
        Assert.Equal(7, counters.ToolCalls);
    }

    [Fact]
    public async Task PluginsUsed_CalledFromManyThreadsAtOnce_EachPluginOnce()
    {
        var counters = new RunCounters();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                counters.ToolCalled("p" + (i % 5));
            }
        })));

        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], counters.PluginsUsed);
        Assert.Equal(8000, counters.ToolCalls);
    }
}
