/**
 * ECharts, tree-shaken: only the chart types and components the platform uses are registered
 * (bundled with the app; nothing is loaded from a CDN). Add a chart type here before using it.
 */
import { use, init, type ComposeOption, type ECharts } from 'echarts/core'
import { BarChart, RadarChart, type BarSeriesOption, type RadarSeriesOption } from 'echarts/charts'
import {
  AriaComponent,
  GridComponent,
  RadarComponent,
  TooltipComponent,
  type AriaComponentOption,
  type GridComponentOption,
  type RadarComponentOption,
  type TooltipComponentOption,
} from 'echarts/components'
import { SVGRenderer } from 'echarts/renderers'

use([BarChart, RadarChart, AriaComponent, GridComponent, RadarComponent, TooltipComponent, SVGRenderer])

export type ChartOption = ComposeOption<
  BarSeriesOption | RadarSeriesOption | AriaComponentOption | GridComponentOption | RadarComponentOption | TooltipComponentOption
>

export { init, type ECharts }

/** Platform colours (main.css): brand blue, its light step, and the header's gold accent. */
export const CHART_COLORS = {
  brand: '#1f4e8c',
  brandLight: '#8fa6c6',
  brandFaint: 'rgba(31, 78, 140, 0.18)',
  gold: '#f5c242',
  text: '#1f2329',
  textSecondary: '#5a6270',
  muted: '#8a919f',
  border: '#e4e7ed',
}

export const CHART_FONT =
  "'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif"
