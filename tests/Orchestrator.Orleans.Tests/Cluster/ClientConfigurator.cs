using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace Orchestrator.Orleans.Tests.Cluster;

/// <summary>The test cluster's client: ADO.NET clustering on PostgreSQL when the world has it (else the test membership).</summary>
public sealed class ClientConfigurator : IClientBuilderConfigurator
{
    public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
    {
        if (TestWorld.Current?.Postgres is { } connection)
        {
            clientBuilder.UseAdoNetClustering(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connection;
            });
        }
    }
}
