/**
 * Per action kind: the kernel function a step models, the source lines the spec's step
 * functions cite for it (Debian 6.12.117 and 6.1.192 unless another tree is named), and the
 * lock it takes, drops or sleeps on. Copied from the doc comments of spec/*-steps.ts.
 */
import type { ActionKind } from "../actions.js";

/** What a step stands for in the kernel. */
export interface KernelRef {
  /** The kernel function, as a stack would show it. */
  readonly fn: string;
  /** File and lines at a version. */
  readonly cite: string;
  /** The lock it takes, drops or sleeps on, if any. */
  readonly lock?: string;
}

export const KERNEL_REFS: Readonly<Record<ActionKind, KernelRef>> = {
  mmap: { fn: "xfs_file_mmap", cite: "mm/mmap.c do_mmap -> fs/xfs/xfs_file.c xfs_file_mmap (VM_HUGEPAGE|VM_MIXEDMAP for DAX)", lock: "mmap_lock for write" },
  munmap: { fn: "unmap_region", cite: "mm/mmap.c do_vmi_munmap -> unmap_region (zap_page_range)", lock: "mmap_lock for write" },
  fault: { fn: "dax_iomap_pte_fault -> grab_mapping_entry", cite: "6.12.117 fs/dax.c:1741; 6.1.192 :1688", lock: "takes the entry lock (sleeps while another holds it), after MMAPLOCK shared" },
  alloc: { fn: "dax_iomap_pte_fault -> grab_mapping_entry", cite: "6.12.117 fs/dax.c:1741; 6.1.192 :1688", lock: "takes the entry lock, after MMAPLOCK shared" },
  cow_fault: { fn: "dax_iomap_pte_fault -> grab_mapping_entry", cite: "6.12.117 fs/dax.c:1741; 6.1.192 :1688", lock: "takes the entry lock, after MMAPLOCK shared" },
  fault_map: {
    fn: "xfs_read_iomap_begin; dax_fault_iter -> dax_insert_entry -> dax_associate_entry; dax_unlock_entry",
    cite: "6.12.117 fs/xfs/xfs_iomap.c:1299-1300 (reflink trim reads the AGF), fs/dax.c:1687 (badblocks refuse), :882-899 (shared), :1782 (unlock); 6.1.192 fs/dax.c:1633",
    lock: "AGF taken and dropped inside ->iomap_begin where the variant reads it; entry lock dropped",
  },
  alloc_map: { fn: "xfs_direct_write_iomap_begin -> xfs_iomap_write_direct; dax_insert_entry; dax_unlock_entry", cite: "6.12.117 fs/xfs/xfs_iomap.c xfs_iomap_write_direct -> xfs_bmapi_write; fs/dax.c:1782", lock: "AGF for the allocation; entry lock dropped" },
  cow_alloc: {
    fn: "xfs_reflink_allocate_cow; dax_insert_entry; dax_iomap_copy_around",
    cite: "6.12.117 fs/xfs/xfs_iomap.c:832-834, fs/dax.c:1687-1708 (insert :1691, copy :1693-1697); 6.1.192 fs/dax.c:1633-1654; drivers/nvdimm/pmem.c:268-273 (a bad source fails the copy)",
    lock: "AGF for the CoW fork; the entry lock is kept",
  },
  cow_end: { fn: "xfs_dax_write_iomap_end -> xfs_reflink_end_cow / xfs_reflink_cancel_cow_range; dax_unlock_entry", cite: "6.12.117 fs/xfs/xfs_iomap.c:932-949 (written == 0 :945-946); 6.1.192 :905-924", lock: "AGF for the remap; entry lock dropped" },
  pin: { fn: "get_user_pages", cite: "mm/gup.c (a DMA reference on the page)" },
  unpin: { fn: "unpin_user_page / put_page", cite: "mm/gup.c" },
  reflink: { fn: "xfs_reflink_remap_range", cite: "6.12.117 fs/xfs/xfs_reflink.c:1500-1550, flag :1031-1082", lock: "IOLOCK and MMAPLOCK of both files (xfs_ilock2_io_mmap), layouts broken" },
  reflink_range: { fn: "xfs_reflink_remap_range (FICLONERANGE within one file)", cite: "6.12.117 fs/xfs/xfs_reflink.c:1500-1550", lock: "the file's IOLOCK and MMAPLOCK once" },
  truncate_begin: { fn: "xfs_vn_setattr -> xfs_break_dax_layouts -> dax_layout_busy_page", cite: "6.1.192 fs/dax.c:701 (mapping_mapped); 6.12.117 fs/xfs/xfs_iops.c", lock: "IOLOCK and MMAPLOCK exclusive (waits for faults of the file)" },
  truncate_delete: { fn: "truncate_setsize -> truncate_inode_pages_range -> dax_delete_mapping_entry -> dax_disassociate_entry(trunc=true)", cite: "6.12.117 fs/xfs/xfs_iops.c:900", lock: "each entry's lock, briefly" },
  truncate_free: { fn: "xfs_itruncate_extents", cite: "6.12.117 fs/xfs/xfs_iops.c:969, fs/xfs/xfs_inode.c:975-989 (reflink flag cleared, called at :1066)", lock: "AGF; MMAPLOCK and IOLOCK dropped at the end" },
  evict: { fn: "evict -> truncate_inode_pages_final -> dax_delete_mapping_entry(trunc=true)", cite: "6.12.117 fs/inode.c:721-725, fs/xfs/xfs_icache.c:2134, :2200-2202; 6.1.192 fs/inode.c:702-706" },
  inodegc: { fn: "xfs_inodegc_worker -> xfs_inactive -> xfs_itruncate_extents", cite: "6.12.117 fs/xfs/xfs_icache.c (inodegc), fs/xfs/xfs_inode.c xfs_inactive", lock: "AGF" },
  scrub: { fn: "machine check (SRAO) -> nvdimm badblocks; memory_failure(pfn, 0)", cite: "mm/memory-failure.c memory_failure -> memory_failure_dev_pagemap" },
  consume: { fn: "machine check (SRAR) -> memory_failure(pfn, MF_ACTION_REQUIRED)", cite: "arch/x86/kernel/cpu/mce/core.c kill_me_maybe -> mm/memory-failure.c memory_failure" },
  madvise: { fn: "madvise(MADV_HWPOISON) -> memory_failure(pfn, MF_ACTION_REQUIRED | MF_SW_SIMULATED)", cite: "mm/madvise.c madvise_inject_error" },
  inject: { fn: "hwpoison-inject corrupt-pfn -> memory_failure(pfn, MF_SW_SIMULATED)", cite: "mm/hwpoison-inject.c:52" },
  ars: { fn: "acpi_nfit ARS -> nvdimm_forget/badblocks_set (no memory_failure)", cite: "drivers/acpi/nfit/mce.c:66-69" },
  mf_lock: { fn: "memory_failure_dev_pagemap -> dax_lock_page / dax_lock_folio", cite: "6.1.192 fs/dax.c:442 (NULL check); 6.12.117 :434, :505-510 (sleep)", lock: "takes the entry lock at page->index (sleeps while another holds it)" },
  mf_kill: { fn: "mf_generic_kill_procs -> collect_procs, unmap_mapping_range, kill_procs", cite: "6.12.117 mm/memory-failure.c:1787-1826; 6.1.192 :618 (task_early_kill)" },
  mf_unlock: { fn: "dax_unlock_page / dax_unlock_folio", cite: "6.1.192 fs/dax.c:478-487; 6.12.117 :470-479, BUG_ON :283-285", lock: "drops the entry lock page->mapping/->index name now" },
  mf_query_rmap: { fn: "dax_holder_notify_failure -> xfs_dax_notify_failure -> xfs_rmap_query_range", cite: "6.12.117 fs/xfs/xfs_notify_failure.c:273-299, :69 xfs_dax_failure_fn, :82-89 (OWN_COW), :95-100 (xfs_iget)", lock: "takes the AGF (held over the whole walk)" },
  mf_kill_owner: { fn: "xfs_dax_failure_fn -> mf_dax_kill_procs -> dax_lock_mapping_entry, collect_procs_fsdax, unmap_and_kill", cite: "6.12.117 fs/xfs/xfs_notify_failure.c:69-110, mm/memory-failure.c mf_dax_kill_procs", lock: "each owner's entry lock under the AGF; the AGF dropped after the last owner" },
};
