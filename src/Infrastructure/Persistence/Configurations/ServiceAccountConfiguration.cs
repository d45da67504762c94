using AuthPlatform.Domain.ServiceAccounts;
using AuthPlatform.Infrastructure.Persistence.Converters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthPlatform.Infrastructure.Persistence.Configurations;

/// <summary>
/// <c>service_accounts</c>: the client id is unique (and never reused: a deleted account keeps its
/// row, with <c>deleted_at</c>, so that start-up can remember the tokens to refuse); <c>deleted_at</c>
/// is indexed for that start-up read.
/// </summary>
public sealed class ServiceAccountConfiguration : IEntityTypeConfiguration<ServiceAccount>
{
    public void Configure(EntityTypeBuilder<ServiceAccount> builder)
    {
        builder.ToTable("service_accounts");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Name).HasMaxLength(ServiceAccount.MaxNameLength).IsRequired();
        builder.Property(a => a.Description).HasMaxLength(ServiceAccount.MaxDescriptionLength);
        builder.Property(a => a.ClientId).HasMaxLength(ServiceAccount.MaxClientIdLength).IsRequired();
        builder.HasIndex(a => a.ClientId).IsUnique();
        builder.HasIndex(a => a.OwnerId);
        builder.HasIndex(a => a.DeletedAt);
        builder.HasOne<Domain.Users.User>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.Scopes).HasConversion<ScopeSetConverter>().HasMaxLength(4096).IsRequired();
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.Ignore(a => a.IsDeleted);
        builder.Ignore(a => a.CanAddSecret);
        builder.HasMany(a => a.Secrets).WithOne().HasForeignKey(s => s.ServiceAccountId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(a => a.Secrets).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

/// <summary><c>service_account_secrets</c>: only the SHA-256 of each secret.</summary>
public sealed class ClientSecretConfiguration : IEntityTypeConfiguration<ClientSecret>
{
    public void Configure(EntityTypeBuilder<ClientSecret> builder)
    {
        builder.ToTable("service_account_secrets");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.SecretHash).HasMaxLength(128).IsRequired();
    }
}
