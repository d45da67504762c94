namespace AuthPlatform.Infrastructure.DataProtection;

/// <summary>Where the Data Protection key ring is kept.</summary>
public enum KeyRingStore
{
    /// <summary>Table <c>data_protection_keys</c> of the application's database (the default).</summary>
    Database,

    /// <summary>A Redis list, <c>&lt;Redis:Prefix&gt;:data-protection-keys</c>, on the cluster's Redis (ADR 0022); needs <c>Redis:Connection</c>.</summary>
    Redis,
}

/// <summary>Setting <c>DataProtection:Store</c>: <c>database</c> (default) or <c>redis</c>.</summary>
public sealed class KeyRingStoreOptions
{
    public const string SectionName = "DataProtection";
    public const string StoreKey = "DataProtection:Store";

    public KeyRingStore Store { get; set; } = KeyRingStore.Database;
}
