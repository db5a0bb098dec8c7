# Plots decay.csv (written by the decay example) as the network's solution against exp(-t).
#   gnuplot -e "csv='decay.csv'; png='decay.png'" examples/plot_decay.gp
# Needs gnuplot (Debian: gnuplot-nox).
if (!exists("csv")) csv = 'decay.csv'
if (!exists("png")) png = 'decay.png'
set terminal pngcairo size 900,600 noenhanced font ",11"
set output png
set datafile separator ","
set key top right
set grid
set multiplot layout 2,1
set title "dy/dt = -y, y(0) = 1: trial network vs exact solution"
set xlabel "t"
set ylabel "y"
plot csv every 10 using 1:2 with points pt 7 ps 0.8 lc rgb "#d62728" title "network y(t)", \
     csv using 1:3 with lines lw 2 lc rgb "#1f77b4" title "exp(-t)"
unset title
set ylabel "y - exp(-t)"
set format y "%.1e"
plot csv using 1:4 with lines lw 1.5 lc rgb "#2ca02c" title "error"
unset multiplot
