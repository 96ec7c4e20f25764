/**
 * What the matcher needs to know about one installed piece of software.
 * dpkg packages ({@link InstalledPackage}) and CPE/purl list entries both fit.
 */
export interface InventoryPackage {
  /** OSV ecosystem: `Debian`, `npm`, `PyPI`, `Maven`, … (or `CPE` for CPE list entries). */
  readonly ecosystem: string;
  /** Package name as OSV spells it in that ecosystem (`group:artifact` for Maven, `@scope/name` for npm). */
  readonly name: string;
  readonly version: string;
  /** Source package (Debian); defaults to `name`. */
  readonly source?: string;
  readonly sourceVersion?: string;
  readonly architecture?: string;
}
