using AuthPlatform.Domain.OAuth;
using AuthPlatform.Infrastructure.Persistence.Converters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthPlatform.Infrastructure.Persistence.Configurations;

/// <summary>
/// <c>device_authorizations</c> (RFC 8628): found by the unique SHA-256 of the device code or of the
/// normalised user code; <c>version</c> guards the single decision and the single redemption.
/// Deleting the client deletes them (cascade); no foreign key to <c>users</c> (see <see cref="OAuthClientConfiguration"/>).
/// </summary>
public sealed class DeviceAuthorizationConfiguration : IEntityTypeConfiguration<DeviceAuthorization>
{
    public void Configure(EntityTypeBuilder<DeviceAuthorization> builder)
    {
        builder.ToTable("device_authorizations");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.DeviceCodeHash).HasMaxLength(128).IsRequired();
        builder.HasIndex(d => d.DeviceCodeHash).IsUnique();
        builder.Property(d => d.UserCodeHash).HasMaxLength(128).IsRequired();
        builder.HasIndex(d => d.UserCodeHash).IsUnique();
        builder.Property(d => d.ClientId).HasMaxLength(128).IsRequired();
        builder.HasOne<OAuthClient>().WithMany().HasForeignKey(d => d.ClientId).HasPrincipalKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.Scopes).HasConversion<ScopeSetConverter>().HasMaxLength(4096).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(d => d.AuthenticationMethods).HasMaxLength(64);
        builder.HasIndex(d => d.ExpiresAt);
        builder.Property(d => d.Version).IsConcurrencyToken();
    }
}
