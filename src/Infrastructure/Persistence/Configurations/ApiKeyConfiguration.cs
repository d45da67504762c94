using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Infrastructure.Persistence.Converters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthPlatform.Infrastructure.Persistence.Configurations;

/// <summary>
/// <c>api_keys</c>. <c>created_by_key_id</c> is indexed (revoking a key finds the keys created with
/// it) but has no foreign key, like <c>replaced_by_id</c>: deleting a key keeps the link of the keys
/// it created as a record of where they came from (the audit trail names the deleted key), and a
/// self-reference with ON DELETE SET NULL is refused by SQL Server anyway.
/// </summary>
public sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("api_keys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.Id).ValueGeneratedNever();
        builder.HasIndex(k => k.OwnerId);
        builder.HasOne<Domain.Users.User>().WithMany().HasForeignKey(k => k.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(k => k.Name).HasMaxLength(ApiKey.MaxNameLength).IsRequired();
        builder.Property(k => k.KeyPrefix).HasMaxLength(64).IsRequired();
        builder.Property(k => k.KeyHash).HasMaxLength(128).IsRequired();
        builder.HasIndex(k => k.KeyHash).IsUnique();
        builder.Property(k => k.Permissions).HasConversion<ScopeSetConverter>().HasMaxLength(4096).IsRequired();
        builder.HasIndex(k => k.CreatedByKeyId);
        builder.Property(k => k.Version).IsConcurrencyToken();

        // A service account's key: deleted with the account by the use case (which evicts it from the
        // verified-key cache); no cascade here, as SQL Server refuses a second cascade path from users.
        builder.HasIndex(k => k.ServiceAccountId);
        builder.HasOne<Domain.ServiceAccounts.ServiceAccount>().WithMany().HasForeignKey(k => k.ServiceAccountId).OnDelete(DeleteBehavior.NoAction);
    }
}
