import { ElMessageBox } from 'element-plus'

/**
 * Asks before a step that cannot be taken back (删除, 重置密码, 解锁 …): a warning box with `confirmText`
 * and 取消. Resolves false when the user backs out (取消, ×, Esc), so the caller just returns.
 *
 *   if (!(await confirmWarning(`确定删除部门“${d.name}”吗？`, '删除部门'))) return
 */
export async function confirmWarning(message: string, title: string, confirmText = '删除'): Promise<boolean> {
  try {
    await ElMessageBox.confirm(message, title, { type: 'warning', confirmButtonText: confirmText, cancelButtonText: '取消' })
    return true
  } catch {
    return false
  }
}
