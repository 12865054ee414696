// Each test deploys a cluster of several silos on this machine's cores; one cluster at a time keeps them honest (and
// silo configurators read the cluster's world from a static, see TestWorld.Current).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
