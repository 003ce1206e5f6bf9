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

/**
 * Before a submission that locks the form (the applicant's 提交 / 重新提交): while the case is reviewed the
 * applicant cannot change it. Resolves false when they back out.
 */
export function confirmSubmission(action: 'submit' | 'resubmit' = 'submit'): Promise<boolean> {
  return confirmWarning('提交后将不能修改，确认提交？', action === 'resubmit' ? '重新提交' : '提交申请', '确认提交')
}
